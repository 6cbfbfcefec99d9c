import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBasicAuth, ApiBearerAuth, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { OsbErrorDto } from '../common/osb-dto';

/** Route groups with their own scope; the scope strings themselves come from config.auth.scopes. */
export type ScopeKind = 'osb' | 'runtimesRead' | 'provisioning';

export const REQUIRED_SCOPE_KEY = 'auth:required-scope';

const DEFAULT_SCOPE: Record<ScopeKind, string> = {
  osb: 'broker:write',
  runtimesRead: 'runtimes:read',
  provisioning: 'provisioning:write',
};

/**
 * Marks a route (or a whole controller) as protected: a bearer JWT carrying the scope of `kind` is
 * required (for `osb` also HTTP Basic, when enabled). Routes without it are public. The Swagger part
 * is applied here too, so the documented security can never drift from the enforced one.
 */
export function RequireScope(kind: ScopeKind): ClassDecorator & MethodDecorator {
  const scope = DEFAULT_SCOPE[kind];
  return applyDecorators(
    SetMetadata(REQUIRED_SCOPE_KEY, kind),
    ApiBearerAuth('bearer'),
    ...(kind === 'osb' ? [ApiBasicAuth('basic')] : []),
    ApiUnauthorizedResponse({
      type: OsbErrorDto,
      description:
        kind === 'osb'
          ? 'No, invalid or expired bearer token (or wrong Basic credentials, where Basic auth is enabled)'
          : 'No, invalid or expired bearer token',
      headers: { 'WWW-Authenticate': { description: 'Bearer challenge (RFC 6750)', schema: { type: 'string' } } },
      example: { error: 'Unauthorized', description: 'missing or invalid bearer token' },
    }),
    ApiForbiddenResponse({
      type: OsbErrorDto,
      description: `The token is valid but lacks the scope configured for this route (default ${scope})`,
      example: { error: 'Forbidden', description: `the token lacks the scope ${scope}` },
    }),
  );
}
