import { Module } from '@nestjs/common';
import { GardenerModule } from '../gardener/gardener.module';
import { GardenerRuntimeProvisioner } from '../gardener/gardener-runtime-provisioner';
import { InstanceLifecycle } from './instance-lifecycle';
import { InstanceRepository } from './instance.repository';
import { OperationRepository } from './operation.repository';
import { ProvisioningEngine } from './provisioning-engine';
import { ProvisioningMetrics } from './provisioning.metrics';
import { RUNTIME_PROVISIONER } from './runtime-provisioner.port';
import { Workflows } from './workflows';

@Module({
  imports: [GardenerModule],
  providers: [
    InstanceRepository,
    InstanceLifecycle,
    OperationRepository,
    Workflows,
    ProvisioningEngine,
    ProvisioningMetrics,
    { provide: RUNTIME_PROVISIONER, useExisting: GardenerRuntimeProvisioner },
  ],
  exports: [InstanceRepository, InstanceLifecycle, OperationRepository, ProvisioningEngine],
})
export class ProvisioningModule {}
