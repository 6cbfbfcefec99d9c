import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { UnauthorizedError } from '../common/domain-errors';
import { AuthenticatedRequest, Principal } from './principal';

/**
 * The caller the auth guard established. Only meaningful on routes with `@RequireScope`; on a public
 * route there is no principal and asking for one is refused rather than returning undefined silently.
 */
export const CurrentPrincipal = createParamDecorator((_data: unknown, ctx: ExecutionContext): Principal => {
  const principal = ctx.switchToHttp().getRequest<AuthenticatedRequest>().principal;
  if (!principal) {
    throw new UnauthorizedError('this route needs an authenticated caller');
  }
  return principal;
});
