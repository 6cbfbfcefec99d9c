import type { OperationState, OperationType } from '../persistence/operation.entity';
import { EnvironmentState, environmentOperationTypeOf, environmentStateOf } from './environment-state';

describe('environmentStateOf', () => {
  const table: Array<[OperationType, OperationState, EnvironmentState]> = [
    ['provision', 'pending', 'CREATING'],
    ['provision', 'in progress', 'CREATING'],
    ['provision', 'succeeded', 'OK'],
    ['provision', 'failed', 'CREATION_FAILED'],
    ['update', 'pending', 'UPDATING'],
    ['update', 'in progress', 'UPDATING'],
    ['update', 'succeeded', 'OK'],
    ['update', 'failed', 'UPDATE_FAILED'],
    ['deprovision', 'pending', 'DELETING'],
    ['deprovision', 'in progress', 'DELETING'],
    ['deprovision', 'succeeded', 'DELETING'],
    ['deprovision', 'failed', 'DELETION_FAILED'],
  ];

  it.each(table)('last operation %s %s → %s', (type, state, expected) => {
    expect(environmentStateOf(false, { type, state })).toBe(expected);
  });

  it.each(table)('a deleted instance is gone whatever its last operation (%s %s)', (type, state) => {
    expect(environmentStateOf(true, { type, state })).toBeUndefined();
  });

  it('reports an instance without any operation as failed creation', () => {
    expect(environmentStateOf(false, null)).toBe('CREATION_FAILED');
  });

  it.each([
    ['provision', 'Provision'],
    ['update', 'Update'],
    ['deprovision', 'Deprovision'],
  ] as const)('names operation type %s as %s', (type, name) => {
    expect(environmentOperationTypeOf(type)).toBe(name);
  });
});
