import { Module } from '@nestjs/common';
import { GardenerModule } from '../gardener/gardener.module';
import { GardenerAdminKubeconfigStrategy } from './gardener-admin-kubeconfig.strategy';
import { KUBECONFIG_STRATEGIES, KubeconfigStrategy } from './kubeconfig-strategy.port';
import { TokenRequestStrategy } from './token-request.strategy';

/** The two ways to make a binding's kubeconfig, offered as a registry keyed by binding type. */
@Module({
  imports: [GardenerModule],
  providers: [
    TokenRequestStrategy,
    GardenerAdminKubeconfigStrategy,
    {
      provide: KUBECONFIG_STRATEGIES,
      inject: [TokenRequestStrategy, GardenerAdminKubeconfigStrategy],
      useFactory: (...strategies: KubeconfigStrategy[]) => new Map(strategies.map((s) => [s.type, s])),
    },
  ],
  exports: [KUBECONFIG_STRATEGIES],
})
export class KubeconfigModule {}
