import { CanActivate, ExecutionContext, Inject, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { PreconditionFailedError } from '../common/domain-errors';

const MIN_VERSION_KEY = 'osb:min-version';

/** A route that needs a newer OSB version than the broker-wide minimum (GET instance/binding need 2.14). */
export const MinOsbVersion = (version: string) => SetMetadata(MIN_VERSION_KEY, version);

export function parseVersion(raw: string): { major: number; minor: number } | undefined {
  const m = /^(\d+)\.(\d+)$/.exec(raw.trim());
  return m ? { major: Number(m[1]), minor: Number(m[2]) } : undefined;
}

/**
 * X-Broker-API-Version check (412 Precondition Failed). Major must be 2, minor at least the configured
 * minimum or the route's own. Runs after authentication, so strangers learn nothing about versions.
 */
@Injectable()
export class OsbVersionGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const header = context.switchToHttp().getRequest<Request>().headers['x-broker-api-version'];
    if (header === undefined || header === '') {
      throw new PreconditionFailedError('X-Broker-API-Version header not set');
    }
    const version = typeof header === 'string' ? parseVersion(header) : undefined;
    if (!version) {
      throw new PreconditionFailedError('X-Broker-API-Version header must contain a version (MAJOR.MINOR, e.g. 2.17)');
    }
    if (version.major !== 2) {
      throw new PreconditionFailedError('X-Broker-API-Version header must be 2.x');
    }
    const routeMin = this.reflector.get<string | undefined>(MIN_VERSION_KEY, context.getHandler());
    const min = [this.config.broker.minApiVersion, routeMin]
      .map((v) => (v ? parseVersion(v) : undefined))
      .reduce((a, b) => (b && (!a || b.minor > a.minor) ? b : a), undefined);
    if (min && version.minor < min.minor) {
      throw new PreconditionFailedError(
        `this endpoint requires X-Broker-API-Version 2.${min.minor} or newer, got 2.${version.minor}`,
      );
    }
    return true;
  }
}
