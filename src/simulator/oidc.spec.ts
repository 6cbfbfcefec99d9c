import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT } from 'jose';
import type { SimulatorClock } from './clock';
import { OidcAuthenticator, OidcConfig, oidcConfigOf, usernamePrefixFor } from './oidc';

const ISSUER = 'https://issuer.example/uaa';
const T0 = new Date('2026-03-01T08:00:00Z');

describe('OIDC authentication', () => {
  let keys: Awaited<ReturnType<typeof generateKeyPair>>;
  let now: Date;
  const clock: SimulatorClock = { now: () => now };

  beforeAll(async () => {
    keys = await generateKeyPair('RS256');
  });
  beforeEach(() => {
    now = T0;
  });

  function authenticator(config: Partial<OidcConfig> = {}): OidcAuthenticator {
    return new OidcAuthenticator(
      { issuerURL: ISSUER, clientID: 'kyma-runtime', ...config },
      { keysFor: async () => createLocalJWKSet({ keys: [{ ...(await exportJWK(keys.publicKey)), alg: 'RS256' }] }) },
      clock,
    );
  }

  function idToken(claims: Record<string, unknown>, alg = 'RS256', key = keys.privateKey): Promise<string> {
    const iat = Math.floor(T0.getTime() / 1000);
    return new SignJWT({ iss: ISSUER, aud: 'kyma-runtime', sub: 'user-1', iat, exp: iat + 300, ...claims })
      .setProtectedHeader({ alg })
      .sign(key);
  }

  it('maps usernamePrefix like kube-apiserver: "-" none, unset means issuer# unless the claim is email', () => {
    const base = { issuerURL: ISSUER, clientID: 'c' };
    expect(usernamePrefixFor({ ...base })).toBe(`${ISSUER}#`);
    expect(usernamePrefixFor({ ...base, usernamePrefix: '-' })).toBe('');
    expect(usernamePrefixFor({ ...base, usernameClaim: 'email' })).toBe('');
    expect(usernamePrefixFor({ ...base, usernameClaim: 'email', usernamePrefix: 'oidc:' })).toBe('oidc:');
  });

  it('reads Gardener oidcConfig from a shoot and ignores an empty one', () => {
    const shoot = (oidc: unknown) => ({ spec: { kubernetes: { kubeAPIServer: { oidcConfig: oidc } } } });
    expect(
      oidcConfigOf(shoot({ issuerURL: ISSUER, clientID: 'x', groupsClaim: 'groups', signingAlgs: ['RS256'] })),
    ).toEqual({
      issuerURL: ISSUER,
      clientID: 'x',
      groupsClaim: 'groups',
      signingAlgs: ['RS256'],
      usernameClaim: undefined,
      usernamePrefix: undefined,
      groupsPrefix: undefined,
      requiredClaims: undefined,
    });
    expect(oidcConfigOf(shoot({ issuerURL: '', clientID: 'x' }))).toBeUndefined();
    expect(oidcConfigOf({ spec: {} })).toBeUndefined();
  });

  it('accepts a valid ID token: username from the claim with its prefix, groups from the groups claim', async () => {
    const auth = authenticator({ usernameClaim: 'email', usernamePrefix: '-', groupsClaim: 'groups' });
    const result = await auth.authenticate(await idToken({ email: 'admin@example.com', groups: ['admins', 'ops'] }));
    expect(result).toEqual({
      ok: true,
      user: { username: 'admin@example.com', groups: ['admins', 'ops', 'system:authenticated'], extra: {} },
    });
    const prefixed = await authenticator().authenticate(await idToken({}));
    expect(prefixed.ok && prefixed.user.username).toBe(`${ISSUER}#user-1`);
  });

  it('refuses wrong audience, issuer, algorithm, expired tokens and unverified emails', async () => {
    const auth = authenticator({ usernameClaim: 'email', usernamePrefix: '-' });
    const refused = async (token: string, a = auth) => (await a.authenticate(token)).ok;
    expect(await refused(await idToken({ email: 'a@b.c', aud: 'other-client' }))).toBe(false);
    expect(await refused(await idToken({ email: 'a@b.c', iss: 'https://evil.example' }))).toBe(false);
    expect(await refused(await idToken({ email: 'a@b.c', email_verified: false }))).toBe(false);
    expect(await refused(await idToken({}))).toBe(false); // no email claim
    expect(
      await refused(
        await idToken({ email: 'a@b.c' }),
        authenticator({ signingAlgs: ['ES256'], usernameClaim: 'email' }),
      ),
    ).toBe(false);
    const token = await idToken({ email: 'a@b.c' });
    expect(await refused(token)).toBe(true);
    now = new Date(T0.getTime() + 301_000);
    expect(await refused(token)).toBe(false);
  });

  it('only claims tokens that name its issuer', async () => {
    expect(authenticator().isOurs(await idToken({}))).toBe(true);
    expect(authenticator().isOurs(await idToken({ iss: 'https://kubernetes.default.svc.cluster.local' }))).toBe(false);
  });
});
