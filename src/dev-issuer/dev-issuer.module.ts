import { Module } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { DevIssuerController } from './dev-issuer.controller';
import { DevIssuerKeys } from './dev-issuer-keys';
import { DevIssuerService } from './dev-issuer.service';
import { DevTokenService } from './dev-token.service';

/**
 * Local profile only (config.devIssuer.enabled): /uaa/oauth/token, /uaa/token_keys and OIDC discovery.
 * Exports its key so the auth module can trust it in-process.
 */
@Module({
  controllers: [DevIssuerController],
  providers: [
    {
      provide: DevIssuerKeys,
      useFactory: (config: AppConfig) => DevIssuerKeys.loadOrCreate(config.dataDir),
      inject: [APP_CONFIG],
    },
    DevTokenService,
    DevIssuerService,
  ],
  exports: [DevIssuerKeys],
})
export class DevIssuerModule {}
