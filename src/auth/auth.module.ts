import { DynamicModule, Global, Module, Provider } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { createRemoteJWKSet, JWTVerifyGetKey } from 'jose';
import { Clock } from '../common/clock';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { DevIssuerKeys } from '../dev-issuer/dev-issuer-keys';
import { DevIssuerModule } from '../dev-issuer/dev-issuer.module';
import { AuthGuard } from './auth.guard';
import { BasicAuthVerifier } from './basic-auth.verifier';
import { ACCESS_TOKEN_KEYS, TokenVerifier } from './token-verifier';

/**
 * Authentication for every module: the global guard plus the token verifier. Which keys are trusted is
 * decided once here: AUTH_JWKS_URL when set (production: required), otherwise the in-process key of the
 * local dev issuer; the local issuer string is then whatever config.auth.issuer says, whatever the port.
 */
@Global()
@Module({})
export class AuthModule {
  static forRoot(config: AppConfig): DynamicModule {
    const useDevIssuerKeys = !config.auth.jwksUrl && config.devIssuer.enabled;
    return {
      module: AuthModule,
      imports: useDevIssuerKeys ? [DevIssuerModule] : [],
      providers: [
        useDevIssuerKeys ? devIssuerKeySet() : remoteKeySet(config),
        {
          provide: TokenVerifier,
          useFactory: (keys: JWTVerifyGetKey, cfg: AppConfig, clock: Clock) =>
            new TokenVerifier(
              keys,
              {
                issuer: cfg.auth.issuer,
                audience: cfg.auth.audience,
                clockToleranceSeconds: cfg.auth.clockToleranceSeconds,
              },
              clock,
            ),
          inject: [ACCESS_TOKEN_KEYS, APP_CONFIG, Clock],
        },
        BasicAuthVerifier,
        { provide: APP_GUARD, useClass: AuthGuard },
      ],
      exports: [TokenVerifier],
    };
  }
}

function devIssuerKeySet(): Provider {
  return { provide: ACCESS_TOKEN_KEYS, useFactory: (keys: DevIssuerKeys) => keys.keySet, inject: [DevIssuerKeys] };
}

function remoteKeySet(config: AppConfig): Provider {
  const { jwksUrl } = config.auth;
  if (!jwksUrl) {
    throw new Error(
      'AUTH_JWKS_URL is required when the dev issuer is off: the broker has no keys to check tokens with',
    );
  }
  // jose caches the set, refetches on an unknown kid (at most every 30 s) and after 10 min in any case.
  return {
    provide: ACCESS_TOKEN_KEYS,
    useValue: createRemoteJWKSet(new URL(jwksUrl), {
      timeoutDuration: 5000,
      cooldownDuration: 30_000,
      cacheMaxAge: 600_000,
    }),
  };
}
