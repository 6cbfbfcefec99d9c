import { Module } from '@nestjs/common';
import { BindingsModule } from '../bindings/bindings.module';
import { ProvisioningModule } from '../provisioning/provisioning.module';
import { ExpiredBindingsCleanup } from './expired-bindings-cleanup';
import { JobLeaseRepository } from './job-lease.repository';

@Module({
  imports: [BindingsModule, ProvisioningModule],
  providers: [ExpiredBindingsCleanup, JobLeaseRepository],
  exports: [ExpiredBindingsCleanup],
})
export class CleanupModule {}
