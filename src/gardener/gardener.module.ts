import { readFileSync } from 'node:fs';
import { Module } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { GardenerClient } from './gardener-client';
import { GardenerRuntimeProvisioner } from './gardener-runtime-provisioner';
import { GARDENER_KUBECONFIG } from './gardener.tokens';
import { RuntimeAccess } from './runtime-access';

/**
 * Gardener access. The kubeconfig comes from GARDENER_KUBECONFIG; in the local profile bootstrap
 * starts the landscape simulator and points this setting at the kubeconfig it writes, so both
 * profiles run the same client code over HTTPS.
 */
@Module({
  providers: [
    {
      provide: GARDENER_KUBECONFIG,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => {
        if (!config.gardener.kubeconfigPath) {
          throw new Error('GARDENER_KUBECONFIG is not set and no landscape simulator is running');
        }
        return readFileSync(config.gardener.kubeconfigPath, 'utf8');
      },
    },
    GardenerClient,
    RuntimeAccess,
    GardenerRuntimeProvisioner,
  ],
  exports: [GardenerClient, RuntimeAccess, GardenerRuntimeProvisioner],
})
export class GardenerModule {}
