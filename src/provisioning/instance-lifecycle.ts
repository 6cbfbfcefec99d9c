import { Injectable } from '@nestjs/common';
import { InstanceEntity } from '../persistence/instance.entity';
import { InstanceRepository } from './instance.repository';
import { OperationRepository } from './operation.repository';

export type InstancePhase =
  'provisioning' | 'provision-failed' | 'ready' | 'updating' | 'deprovisioning' | 'deprovisioned';

export interface InstanceState {
  instance: InstanceEntity;
  phase: InstancePhase;
}

/** Where an instance stands, derived from its operations: what bindings and the façade need to know. */
@Injectable()
export class InstanceLifecycle {
  constructor(
    private readonly instances: InstanceRepository,
    private readonly operations: OperationRepository,
  ) {}

  async state(instanceId: string): Promise<InstanceState | undefined> {
    const instance = await this.instances.find(instanceId);
    if (!instance) {
      return undefined;
    }
    if (instance.deletedAt) {
      return { instance, phase: 'deprovisioned' };
    }
    const [active, provision] = await Promise.all([
      this.operations.active(instanceId),
      this.operations.last(instanceId, 'provision'),
    ]);
    if (active.some((op) => op.type === 'deprovision')) {
      return { instance, phase: 'deprovisioning' };
    }
    if (provision && (provision.state === 'pending' || provision.state === 'in progress')) {
      return { instance, phase: 'provisioning' };
    }
    if (!provision || provision.state === 'failed') {
      return { instance, phase: 'provision-failed' };
    }
    return { instance, phase: active.some((op) => op.type === 'update') ? 'updating' : 'ready' };
  }
}
