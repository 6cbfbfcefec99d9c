import type { OperationState, OperationType } from '../persistence/operation.entity';

/** KEB's runtime states (common/runtime/model.go), in the order KEB declares them. */
export const RUNTIME_STATES = [
  'succeeded',
  'failed',
  'error',
  'provisioning',
  'deprovisioning',
  'deprovisioned',
  'deprovisionincomplete',
  'upgrading',
  'updating',
  'suspended',
] as const;
export type RuntimeState = (typeof RUNTIME_STATES)[number];

/** The virtual `state` filter value that lifts the default filter (KEB's AllState). */
export const ALL_STATES = 'all';

/** Without a `state` filter KEB hides deprovisioned runtimes. */
export const HIDDEN_BY_DEFAULT: readonly RuntimeState[] = ['deprovisioned'];

export interface LastOperation {
  type: OperationType;
  state: OperationState;
}

/**
 * The runtime state implied by its last operation, like KEB's adjustRuntimeState. Two differences
 * follow from our model: `pending` means accepted and not yet picked up by the engine (KEB uses it for
 * queued operations and then keeps the previous state), so it counts as in progress, like OSB's
 * last_operation reports it; and there are no suspension, unsuspension or cluster-upgrade operations,
 * so `suspended`, `upgrading` and `deprovisionincomplete` are valid filters that never match.
 *
 * The migration RuntimesInfoIndexes1795391400000 computes the same function in SQL
 * (operations.runtime_state) so that filters and counts run in the database; an integration test
 * checks both agree on every combination.
 */
export function runtimeStateOf(op: LastOperation): RuntimeState {
  switch (op.state) {
    case 'succeeded':
      return op.type === 'deprovision' ? 'deprovisioned' : 'succeeded';
    case 'failed':
      // KEB: a failed update leaves a working runtime in a recoverable "error" state.
      return op.type === 'update' ? 'error' : 'failed';
    case 'pending':
    case 'in progress':
      switch (op.type) {
        case 'provision':
          return 'provisioning';
        case 'deprovision':
          return 'deprovisioning';
        case 'update':
          return 'updating';
      }
  }
}
