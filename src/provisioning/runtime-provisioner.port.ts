import type { InstanceEntity } from '../persistence/instance.entity';

/** Where a runtime stands, as far as the landscape tells. */
export interface RuntimeStatus {
  state: 'processing' | 'succeeded' | 'failed' | 'absent';
  description: string;
  /** The runtime's API server URL once it is reachable. */
  apiServerUrl?: string;
}

/**
 * Port between the operation engine and whatever creates clusters (Gardener in both profiles; the
 * local profile points it at the landscape simulator). Every call must be idempotent: the engine
 * retries steps after crashes and lease takeovers.
 */
export interface RuntimeProvisioner {
  createRuntime(instance: InstanceEntity): Promise<void>;
  runtimeStatus(instance: InstanceEntity): Promise<RuntimeStatus>;
  /** Post-creation setup on the runtime itself (e.g. cluster-admin for the administrators). */
  configureRuntime(instance: InstanceEntity): Promise<void>;
  updateRuntime(instance: InstanceEntity): Promise<void>;
  deleteRuntime(instance: InstanceEntity): Promise<void>;
}

export const RUNTIME_PROVISIONER = Symbol('RUNTIME_PROVISIONER');
