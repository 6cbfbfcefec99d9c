import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Response } from 'express';
import { ForbiddenError, UnauthorizedError } from '../common/domain-errors';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { BasicAuthVerifier } from './basic-auth.verifier';
import { AuthenticatedRequest, Principal } from './principal';
import { REQUIRED_SCOPE_KEY, ScopeKind } from './require-scope.decorator';
import { TokenVerifier } from './token-verifier';

const REALM = 'kyma-broker';

/**
 * The global guard (APP_GUARD): routes marked with `@RequireScope(kind)` need a bearer JWT carrying
 * config.auth.scopes[kind] (OSB routes also take Basic credentials when enabled); unmarked routes are
 * public. Global guards run before controller guards, so the OSB version check only ever answers
 * authenticated callers.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenVerifier,
    private readonly basic: BasicAuthVerifier,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') {
      return true;
    }
    const kind = this.reflector.getAllAndOverride<ScopeKind | undefined>(REQUIRED_SCOPE_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!kind) {
      return true;
    }
    const http = context.switchToHttp();
    const req = http.getRequest<AuthenticatedRequest>();
    const res = http.getResponse<Response>();
    const basicAllowed = kind === 'osb' && this.config.auth.basic.enabled;
    const required = this.config.auth.scopes[kind];

    let principal: Principal;
    try {
      principal = await this.authenticate(req.headers.authorization, basicAllowed);
    } catch (err) {
      if (err instanceof UnauthorizedError) {
        res.setHeader('WWW-Authenticate', this.challenges(basicAllowed, req.headers.authorization !== undefined));
      }
      throw err;
    }
    if (!principal.scopes.includes(required)) {
      res.setHeader('WWW-Authenticate', `Bearer realm="${REALM}", error="insufficient_scope", scope="${required}"`);
      throw new ForbiddenError(`the token lacks the scope ${required}`);
    }
    req.principal = principal;
    return true;
  }

  private async authenticate(header: string | undefined, basicAllowed: boolean): Promise<Principal> {
    const match = /^(\w+) +(\S+)\s*$/.exec(header ?? '');
    if (!match) {
      throw new UnauthorizedError(
        header ? 'malformed Authorization header' : 'missing Authorization header: send Bearer <access token>',
      );
    }
    const [, scheme, credentials] = match;
    switch (scheme.toLowerCase()) {
      case 'bearer':
        return this.tokens.verify(credentials);
      case 'basic':
        if (!basicAllowed) {
          throw new UnauthorizedError('Basic authentication is not accepted here: send Bearer <access token>');
        }
        return this.basic.verify(credentials);
      default:
        throw new UnauthorizedError(`unsupported authorization scheme ${scheme.slice(0, 20)}`);
    }
  }

  /** RFC 6750 §3: the challenge tells the client how to retry; error="invalid_token" only when one was sent. */
  private challenges(basicAllowed: boolean, credentialsSent: boolean): string[] {
    const bearer = credentialsSent ? `Bearer realm="${REALM}", error="invalid_token"` : `Bearer realm="${REALM}"`;
    return basicAllowed ? [bearer, `Basic realm="${REALM}", charset="UTF-8"`] : [bearer];
  }
}
