import { Module } from '@nestjs/common';
import { BindingsModule } from '../bindings/bindings.module';
import { BrokerModule } from '../broker/broker.module';
import { CatalogModule } from '../catalog/catalog.module';
import { ProvisioningModule } from '../provisioning/provisioning.module';
import { ProvisioningApiController } from './provisioning-api.controller';
import { ProvisioningApiService } from './provisioning-api.service';

/** SAP's Provisioning Service API (/provisioning/v1) as a façade over the broker's instances and bindings. */
@Module({
  imports: [BrokerModule, BindingsModule, ProvisioningModule, CatalogModule],
  controllers: [ProvisioningApiController],
  providers: [ProvisioningApiService],
})
export class ProvisioningApiModule {}
