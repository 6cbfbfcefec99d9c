import type { OperationState, OperationType } from '../persistence/operation.entity';

/** States of an environment instance in SAP's Provisioning Service API (EnvironmentInstanceResponseObject.state). */
export const ENVIRONMENT_STATES = [
  'CREATING',
  'UPDATING',
  'DELETING',
  'OK',
  'CREATION_FAILED',
  'DELETION_FAILED',
  'UPDATE_FAILED',
] as const;
export type EnvironmentState = (typeof ENVIRONMENT_STATES)[number];

/** SAP's `type`: the kind of the last operation on the environment instance. */
export const ENVIRONMENT_OPERATION_TYPES = ['Provision', 'Update', 'Deprovision'] as const;
export type EnvironmentOperationType = (typeof ENVIRONMENT_OPERATION_TYPES)[number];

export interface LastOperationView {
  type: OperationType;
  state: OperationState;
}

/**
 * The environment state implied by the instance's last operation, or `undefined` when the environment
 * is gone (deprovisioned), which the API answers with 404 and leaves out of lists. `pending` (accepted,
 * not yet picked up by the engine) counts as running, as OSB's last_operation reports it.
 */
export function environmentStateOf(deleted: boolean, last: LastOperationView | null): EnvironmentState | undefined {
  if (deleted) {
    return undefined;
  }
  if (!last) {
    // Instances are inserted together with their provision operation, so this is a half-written row.
    return 'CREATION_FAILED';
  }
  const running = last.state === 'pending' || last.state === 'in progress';
  switch (last.type) {
    case 'provision':
      return running ? 'CREATING' : last.state === 'succeeded' ? 'OK' : 'CREATION_FAILED';
    case 'update':
      return running ? 'UPDATING' : last.state === 'succeeded' ? 'OK' : 'UPDATE_FAILED';
    case 'deprovision':
      // A finished deprovisioning marks the instance deleted in the same step; until then it still runs.
      return running || last.state === 'succeeded' ? 'DELETING' : 'DELETION_FAILED';
  }
}

export function environmentOperationTypeOf(type: OperationType): EnvironmentOperationType {
  switch (type) {
    case 'provision':
      return 'Provision';
    case 'update':
      return 'Update';
    case 'deprovision':
      return 'Deprovision';
  }
}
