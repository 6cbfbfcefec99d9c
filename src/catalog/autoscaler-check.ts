import { UnprocessableError } from '../common/domain-errors';
import type { AutoscalerSpec } from './plans';

/** Go's %v of an unset *int is <nil>. */
function shown(value: unknown): string {
  return typeof value === 'number' ? String(value) : '<nil>';
}

/**
 * KEB's AutoScalerParameters.Validate (422): the effective minimum, from the request or else the plan's
 * default, must not exceed the effective maximum. `given` are the values the request (merged with the
 * instance's current ones on update) sets; numbers there have already passed the schema.
 */
export function assertAutoscalerOrder(
  spec: AutoscalerSpec | undefined,
  given: { autoScalerMin?: unknown; autoScalerMax?: unknown },
): void {
  if (!spec) {
    return;
  }
  const min = typeof given.autoScalerMin === 'number' ? given.autoScalerMin : spec.defaultMin;
  const max = typeof given.autoScalerMax === 'number' ? given.autoScalerMax : spec.defaultMax;
  if (min > max) {
    throw new UnprocessableError(
      `AutoScalerMax ${max} should be larger than AutoScalerMin ${min}. ` +
        `User provided values min:${shown(given.autoScalerMin)}, max:${shown(given.autoScalerMax)}; ` +
        `plan defaults min:${spec.defaultMin}, max:${spec.defaultMax}`,
    );
  }
}
