import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { Clock } from '../common/clock';
import { InstanceEvents } from '../common/instance-events';
import type { OperationType } from '../persistence/operation.entity';
import { InstanceRepository } from './instance.repository';
import { RUNTIME_PROVISIONER, RuntimeProvisioner } from './runtime-provisioner.port';
import { StepOutcome, Workflow } from './workflow';

/** Data an update operation carries until its first step applies it to the instance. */
export interface UpdateRequestData {
  planId?: string;
  planName?: string;
  parameters?: Record<string, unknown>;
}

/** The provision, update and deprovision workflows, as steps over the RuntimeProvisioner port. */
@Injectable()
export class Workflows {
  private readonly byType: Record<OperationType, Workflow>;

  constructor(
    @Inject(RUNTIME_PROVISIONER) private readonly provisioner: RuntimeProvisioner,
    private readonly instances: InstanceRepository,
    private readonly events: InstanceEvents,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    const poll = (description: string): StepOutcome => ({
      kind: 'wait',
      afterMs: this.config.provisioning.shootPollIntervalMs,
      description,
    });
    this.byType = {
      provision: {
        firstStep: 'create_runtime',
        steps: {
          create_runtime: async ({ instance }) => {
            await this.provisioner.createRuntime(instance);
            return { kind: 'next', step: 'wait_runtime_ready', description: 'creating the runtime' };
          },
          wait_runtime_ready: async ({ instance }) => {
            const status = await this.provisioner.runtimeStatus(instance);
            switch (status.state) {
              case 'processing':
                return poll(`creating the runtime: ${status.description}`);
              case 'failed':
                return { kind: 'fail', description: `runtime creation failed: ${status.description}` };
              case 'absent':
                return { kind: 'next', step: 'create_runtime', description: 'runtime missing, creating it again' };
              case 'succeeded':
                await this.instances.update(instance.instanceId, {
                  apiServerUrl: status.apiServerUrl ?? '',
                  updatedAt: this.clock.now(),
                });
                return { kind: 'next', step: 'configure_runtime', description: 'configuring the runtime' };
            }
          },
          configure_runtime: async ({ instance }) => {
            await this.provisioner.configureRuntime(instance);
            return { kind: 'done', description: 'Operation succeeded' };
          },
        },
      },
      update: {
        firstStep: 'apply_update',
        steps: {
          apply_update: async ({ instance, operation }) => {
            const request = operation.data as UpdateRequestData;
            const patch = {
              ...(request.planId ? { planId: request.planId, planName: request.planName ?? instance.planName } : {}),
              ...(request.parameters ? { parameters: { ...instance.parameters, ...request.parameters } } : {}),
              updatedAt: this.clock.now(),
            };
            await this.instances.update(instance.instanceId, patch);
            await this.provisioner.updateRuntime({ ...instance, ...patch });
            return { kind: 'next', step: 'wait_update', description: 'updating the runtime' };
          },
          wait_update: async ({ instance }) => {
            const status = await this.provisioner.runtimeStatus(instance);
            switch (status.state) {
              case 'processing':
                return poll(`updating the runtime: ${status.description}`);
              case 'succeeded':
                return { kind: 'done', description: 'Operation succeeded' };
              case 'failed':
              case 'absent':
                return { kind: 'fail', description: `runtime update failed: ${status.description}` };
            }
          },
        },
      },
      deprovision: {
        firstStep: 'delete_runtime',
        steps: {
          delete_runtime: async ({ instance }) => {
            await this.provisioner.deleteRuntime(instance);
            return { kind: 'next', step: 'wait_runtime_gone', description: 'deleting the runtime' };
          },
          wait_runtime_gone: async ({ instance }) => {
            const status = await this.provisioner.runtimeStatus(instance);
            switch (status.state) {
              case 'absent':
                return { kind: 'next', step: 'mark_deprovisioned', description: 'runtime deleted' };
              case 'failed':
                return { kind: 'fail', description: `runtime deletion failed: ${status.description}` };
              case 'processing':
              case 'succeeded':
                return poll(`deleting the runtime: ${status.description}`);
            }
          },
          mark_deprovisioned: async ({ instance }) => {
            const now = this.clock.now();
            await this.instances.update(instance.instanceId, { deletedAt: now, updatedAt: now });
            this.events.emitDeprovisioned({ instanceId: instance.instanceId });
            return { kind: 'done', description: 'Operation succeeded. The instance was deprovisioned.' };
          },
        },
      },
    };
  }

  of(type: OperationType): Workflow {
    return this.byType[type];
  }
}
