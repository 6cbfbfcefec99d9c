import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { ForbiddenError, UnauthorizedError } from '../common/domain-errors';
import type { AuthenticatedRequest, Principal } from '../auth/principal';

/** Whose environments a request may see and change: the subaccount (and global account) of the token. */
export interface Tenant {
  globalAccountId: string;
  subaccountId: string;
  /** Who is calling (the token's subject: the client id for client_credentials tokens). */
  subject: string;
  /** Set for user tokens only; client_credentials tokens carry no user. */
  email?: string;
}

/**
 * The tenant of an authenticated caller. A token without a subaccount cannot own environments, so it is
 * refused here rather than allowed to see environments created without one.
 */
export function tenantOf(principal: Principal): Tenant {
  if (!principal.subaccountId) {
    throw new ForbiddenError(
      'the access token carries no subaccount (ext_attr.subaccountid or zid): the Provisioning Service API works per subaccount',
    );
  }
  return {
    globalAccountId: principal.globalAccountId ?? '',
    subaccountId: principal.subaccountId,
    subject: principal.subject,
    ...(principal.email ? { email: principal.email } : {}),
  };
}

/** The caller's tenant, for routes under `@RequireScope(...)` (the auth guard sets the principal). */
export const CurrentTenant = createParamDecorator((_data: unknown, ctx: ExecutionContext): Tenant => {
  const principal = ctx.switchToHttp().getRequest<AuthenticatedRequest>().principal;
  if (!principal) {
    throw new UnauthorizedError('this route needs an authenticated caller');
  }
  return tenantOf(principal);
});
