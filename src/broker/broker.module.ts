import { Module } from '@nestjs/common';
import { CatalogModule } from '../catalog/catalog.module';
import { ProvisioningModule } from '../provisioning/provisioning.module';
import { CatalogController } from './catalog.controller';
import { InstancesController } from './instances.controller';
import { InstancesService } from './instances.service';
import { OsbVersionGuard } from './osb-version.guard';
import { PlatformRegions } from './platform-regions';

/** The OSB API for service instances and the catalog. */
@Module({
  imports: [CatalogModule, ProvisioningModule],
  controllers: [CatalogController, InstancesController],
  providers: [InstancesService, PlatformRegions, OsbVersionGuard],
  exports: [InstancesService, PlatformRegions, OsbVersionGuard],
})
export class BrokerModule {}
