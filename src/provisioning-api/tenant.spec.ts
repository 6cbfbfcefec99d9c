import { ForbiddenError } from '../common/domain-errors';
import type { Principal } from '../auth/principal';
import { tenantOf } from './tenant';

function principal(overrides: Partial<Principal>): Principal {
  return { subject: 'client-a', scopes: ['provisioning:write'], authenticatedBy: 'bearer', claims: {}, ...overrides };
}

describe('tenantOf', () => {
  it('takes subaccount and global account from the token', () => {
    expect(tenantOf(principal({ subaccountId: 'sa-1', globalAccountId: 'ga-1' }))).toEqual({
      subaccountId: 'sa-1',
      globalAccountId: 'ga-1',
      subject: 'client-a',
    });
  });

  it('keeps the e-mail of user tokens', () => {
    expect(tenantOf(principal({ subaccountId: 'sa-1', email: 'jane@example.com' })).email).toBe('jane@example.com');
  });

  it('refuses a token without a subaccount', () => {
    expect(() => tenantOf(principal({ globalAccountId: 'ga-1' }))).toThrow(ForbiddenError);
    expect(() => tenantOf(principal({}))).toThrow(/carries no subaccount/);
  });
});
