import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { UnauthorizedError } from '../common/domain-errors';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { hashPassword, verifyPasswordAsync } from './password-hash';
import { Principal } from './principal';

/**
 * HTTP Basic for OSB platforms that cannot do OAuth2 (config.auth.basic). Unknown users cost the same
 * scrypt work as known ones, so response times do not reveal which user names exist.
 */
@Injectable()
export class BasicAuthVerifier {
  private readonly users: Map<string, string>;
  private dummyHash?: string;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.users = new Map(config.auth.basic.users.map((u) => [u.username, u.passwordHash]));
    // One scrypt at start-up, only where Basic is on, so not even the first unknown user is faster.
    if (config.auth.basic.enabled) {
      this.dummy();
    }
  }

  /** `encoded` is the part after "Basic ". */
  async verify(encoded: string): Promise<Principal> {
    const decoded = Buffer.from(encoded.trim(), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon <= 0) {
      throw new UnauthorizedError('malformed Basic credentials');
    }
    const username = decoded.slice(0, colon);
    const password = decoded.slice(colon + 1);
    const hash = this.users.get(username);
    const ok = await verifyPasswordAsync(password, hash ?? this.dummy());
    if (!ok || hash === undefined) {
      throw new UnauthorizedError('wrong user name or password');
    }
    return {
      subject: username,
      scopes: [this.config.auth.scopes.osb],
      authenticatedBy: 'basic',
      claims: {},
    };
  }

  private dummy(): string {
    return (this.dummyHash ??= hashPassword(randomBytes(16).toString('hex')));
  }
}
