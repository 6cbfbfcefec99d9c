import type { OperationState, OperationType } from '../persistence/operation.entity';
import { RuntimeState, runtimeStateOf } from './runtime-state';

describe('runtimeStateOf', () => {
  const cases: Array<[OperationType, OperationState, RuntimeState]> = [
    ['provision', 'pending', 'provisioning'],
    ['provision', 'in progress', 'provisioning'],
    ['provision', 'succeeded', 'succeeded'],
    ['provision', 'failed', 'failed'],
    ['update', 'pending', 'updating'],
    ['update', 'in progress', 'updating'],
    ['update', 'succeeded', 'succeeded'],
    ['update', 'failed', 'error'],
    ['deprovision', 'pending', 'deprovisioning'],
    ['deprovision', 'in progress', 'deprovisioning'],
    ['deprovision', 'succeeded', 'deprovisioned'],
    ['deprovision', 'failed', 'failed'],
  ];

  it.each(cases)('last operation %s %s → %s', (type, state, expected) => {
    expect(runtimeStateOf({ type, state })).toBe(expected);
  });
});
