import { principalFromClaims, scopesOf } from './principal';

describe('principal claims', () => {
  it.each([
    [{ scope: 'a b  c' }, ['a', 'b', 'c']],
    [{ scope: ['a', 'b'] }, ['a', 'b']],
    [{ scp: 'a b' }, ['a', 'b']],
    [{ scp: ['a'], scope: ['a', 'b'] }, ['a', 'b']],
    [{ scope: [1, '', 'a', null] }, ['a']],
    [{ scope: 42 }, []],
    [{}, []],
  ])('reads scopes from %j', (claims, expected) => {
    expect(scopesOf(claims as never)).toEqual(expected);
  });

  it('falls back to zid for the subaccount and to the client id for the subject', () => {
    expect(principalFromClaims({ cid: 'c1', zid: 'zone-1' })).toMatchObject({
      subject: 'c1',
      clientId: 'c1',
      subaccountId: 'zone-1',
      globalAccountId: undefined,
    });
  });

  it('prefers ext_attr.subaccountid over zid and ignores non-string tenancy values', () => {
    const p = principalFromClaims({ sub: 'u', zid: 'zone', ext_attr: { subaccountid: 'sa', globalaccountid: 7 } });
    expect(p).toMatchObject({ subject: 'u', subaccountId: 'sa', globalAccountId: undefined, clientId: undefined });
  });
});
