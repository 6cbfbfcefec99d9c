import { Module } from '@nestjs/common';
import { BrokerModule } from '../broker/broker.module';
import { KubeconfigModule } from '../kubeconfig/kubeconfig.module';
import { ProvisioningModule } from '../provisioning/provisioning.module';
import { BindingRepository } from './binding.repository';
import { BindingsController } from './bindings.controller';
import { BindingsMetrics } from './bindings.metrics';
import { BindingsService } from './bindings.service';
import { KubeconfigCipher } from './kubeconfig-cipher';

/** OSB bindings: kubeconfig credentials with limits, idempotency, revocation and encryption at rest. */
@Module({
  imports: [BrokerModule, KubeconfigModule, ProvisioningModule],
  controllers: [BindingsController],
  providers: [BindingsService, BindingRepository, KubeconfigCipher, BindingsMetrics],
  exports: [BindingsService, BindingRepository, BindingsMetrics],
})
export class BindingsModule {}
