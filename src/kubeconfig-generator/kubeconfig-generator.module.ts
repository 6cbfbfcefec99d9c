import { Module } from '@nestjs/common';
import { GardenerModule } from '../gardener/gardener.module';
import { ProvisioningModule } from '../provisioning/provisioning.module';
import { KubeconfigGeneratorController } from './kubeconfig-generator.controller';
import { KubeconfigGeneratorService } from './kubeconfig-generator.service';
import { OidcKeySets } from './oidc-key-sets';

/** GET /kube-config: OIDC ID token → kubeconfig for a runtime (seed 004). */
@Module({
  imports: [GardenerModule, ProvisioningModule],
  controllers: [KubeconfigGeneratorController],
  providers: [KubeconfigGeneratorService, OidcKeySets],
})
export class KubeconfigGeneratorModule {}
