import { createHash } from 'node:crypto';
import type { AppConfig, BindingStrategyName } from '../config/app-config';
import { BadRequestError } from '../common/domain-errors';

export interface EffectiveBindingParameters {
  expirationSeconds: number;
  strategy: BindingStrategyName;
}

/**
 * Reads `parameters` of a bind request. Unknown keys are ignored (as KEB and the OSB spec do); known
 * keys of the wrong type or out of bounds are refused with a message naming them.
 */
export function effectiveBindingParameters(raw: unknown, config: AppConfig['bindings']): EffectiveBindingParameters {
  if (raw !== undefined && raw !== null && (typeof raw !== 'object' || Array.isArray(raw))) {
    throw new BadRequestError('failed to unmarshal parameters: parameters must be a JSON object');
  }
  const params = (raw ?? {}) as Record<string, unknown>;
  let expirationSeconds = config.defaultExpirationSeconds;
  const given = params.expiration_seconds;
  if (given !== undefined && given !== null) {
    if (typeof given !== 'number' || !Number.isInteger(given)) {
      throw new BadRequestError(
        `failed to unmarshal parameters: cannot unmarshal ${typeof given === 'number' ? 'number' : typeof given} into expiration_seconds of type int`,
      );
    }
    // 0 means "not set", as in KEB.
    if (given !== 0) {
      if (given > config.maxExpirationSeconds) {
        throw new BadRequestError(`expiration_seconds cannot be greater than ${config.maxExpirationSeconds}`);
      }
      if (given < config.minExpirationSeconds) {
        throw new BadRequestError(`expiration_seconds cannot be less than ${config.minExpirationSeconds}`);
      }
      expirationSeconds = given;
    }
  }
  let strategy = config.defaultStrategy;
  const tokenRequest = params.token_request;
  if (tokenRequest !== undefined && tokenRequest !== null) {
    if (typeof tokenRequest !== 'boolean') {
      throw new BadRequestError(
        `failed to unmarshal parameters: cannot unmarshal ${typeof tokenRequest} into token_request of type bool`,
      );
    }
    strategy = tokenRequest ? 'token_request' : 'adminkubeconfig';
  }
  return { expirationSeconds, strategy };
}

/** Identity of a binding's parameters: a repeated PUT with the same hash is the same binding. */
export function parametersHash(p: EffectiveBindingParameters): string {
  return createHash('sha256')
    .update(JSON.stringify({ e: p.expirationSeconds, s: p.strategy }))
    .digest('hex');
}

/** OSB 2.17 / KEB: `yyyy-mm-ddThh:mm:ss.sZ` (one fractional digit, UTC). */
export function formatExpiresAt(date: Date): string {
  return date.toISOString().replace(/\.(\d)\d*Z$/, '.$1Z');
}
