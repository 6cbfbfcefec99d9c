import { createSecretKey } from 'node:crypto';
import {
  createLocalJWKSet,
  errors,
  exportJWK,
  exportSPKI,
  generateKeyPair,
  JWK,
  JWTPayload,
  JWTVerifyGetKey,
  SignJWT,
  UnsecuredJWT,
} from 'jose';
import { ManualClock } from '../common/clock';
import { ServiceUnavailableError, UnauthorizedError } from '../common/domain-errors';
import { TokenVerifier } from './token-verifier';

const ISSUER = 'http://127.0.0.1:8080/uaa/oauth/token';
const AUDIENCE = 'kyma-broker';
const NOW = new Date('2025-06-01T12:00:00Z');
const nowSec = NOW.getTime() / 1000;

type Keys = Awaited<ReturnType<typeof generateKeyPair>>;

describe('TokenVerifier', () => {
  let rsa: Keys;
  let ec: Keys;
  let stranger: Keys;
  let rsaJwk: JWK;
  let clock: ManualClock;
  let verifier: TokenVerifier;

  beforeAll(async () => {
    rsa = await generateKeyPair('RS256', { extractable: true });
    ec = await generateKeyPair('ES256');
    stranger = await generateKeyPair('RS256');
    rsaJwk = { ...(await exportJWK(rsa.publicKey)), kid: 'rsa-1', alg: 'RS256', use: 'sig' };
    const ecJwk = { ...(await exportJWK(ec.publicKey)), kid: 'ec-1', alg: 'ES256', use: 'sig' };
    const keys = createLocalJWKSet({ keys: [rsaJwk, ecJwk] });
    clock = new ManualClock();
    verifier = new TokenVerifier(keys, { issuer: ISSUER, audience: AUDIENCE, clockToleranceSeconds: 30 }, clock);
  });
  beforeEach(() => clock.set(NOW));

  const claims = (over: JWTPayload = {}): JWTPayload => ({
    iss: ISSUER,
    aud: [AUDIENCE],
    sub: 'local-client',
    client_id: 'local-client',
    scope: ['broker:write', 'runtimes:read'],
    zid: 'sa-1',
    ext_attr: { subaccountid: 'sa-1', globalaccountid: 'ga-1' },
    iat: nowSec,
    exp: nowSec + 600,
    ...over,
  });
  const sign = (payload: JWTPayload, key = rsa.privateKey, header = { alg: 'RS256', kid: 'rsa-1' }) =>
    new SignJWT(payload).setProtectedHeader(header).sign(key);
  const rejection = (token: string) =>
    verifier.verify(token).then(
      () => undefined,
      (err: unknown) => err,
    );

  it('accepts a good RS256 token and reads scopes and UAA tenancy claims', async () => {
    const principal = await verifier.verify(await sign(claims({ email: 'ops@example.com' })));
    expect(principal).toMatchObject({
      subject: 'local-client',
      clientId: 'local-client',
      scopes: ['broker:write', 'runtimes:read'],
      subaccountId: 'sa-1',
      globalAccountId: 'ga-1',
      email: 'ops@example.com',
      authenticatedBy: 'bearer',
    });
    expect(principal.claims.iss).toBe(ISSUER);
  });

  it('accepts ES256 and a space-separated scope or an scp claim', async () => {
    const token = await sign(
      claims({ scope: 'broker:write provisioning:write', scp: ['runtimes:read'] }),
      ec.privateKey,
      {
        alg: 'ES256',
        kid: 'ec-1',
      },
    );
    expect((await verifier.verify(token)).scopes).toEqual(['broker:write', 'provisioning:write', 'runtimes:read']);
  });

  it('accepts a token that expired within the clock tolerance', async () => {
    const token = await sign(claims({ exp: nowSec - 20 }));
    await expect(verifier.verify(token)).resolves.toMatchObject({ subject: 'local-client' });
  });

  it('measures expiry on the injected clock', async () => {
    const token = await sign(claims());
    clock.advance(631_000);
    expect(await rejection(token)).toEqual(new UnauthorizedError('the bearer token has expired'));
  });

  const SIGNATURE = /signature is not valid/;
  const ALGORITHM = /not signed with an accepted algorithm/;
  const MALFORMED = /not a valid JWT/;
  it.each<[string, () => Promise<string>, RegExp]>([
    ['a wrong signature (another key, same kid)', () => sign(claims(), stranger.privateKey), SIGNATURE],
    ['a wrong issuer', () => sign(claims({ iss: 'https://evil.example.com/oauth/token' })), /"iss" claim/],
    [
      'an OIDC ID token of the same key (other issuer and audience)',
      () => sign(claims({ iss: 'http://127.0.0.1:8080/uaa', aud: 'kyma-runtime' })),
      /"iss" claim/,
    ],
    ['a wrong audience', () => sign(claims({ aud: ['someone-else'] })), /"aud" claim/],
    ['an expired token', () => sign(claims({ iat: nowSec - 7200, exp: nowSec - 3600 })), /has expired/],
    ['a token not valid before later', () => sign(claims({ nbf: nowSec + 3600 })), /"nbf" claim/],
    ['a token without exp', () => sign(claims({ exp: undefined })), /"exp" claim/],
    ['alg none', async () => new UnsecuredJWT(claims()).encode(), ALGORITHM],
    [
      'HS256 keyed with the public key (PEM)',
      async () =>
        sign(claims(), createSecretKey(Buffer.from(await exportSPKI(rsa.publicKey))) as never, {
          alg: 'HS256',
          kid: 'rsa-1',
        }),
      ALGORITHM,
    ],
    [
      'HS256 keyed with the public JWK modulus',
      async () => sign(claims(), new TextEncoder().encode(rsaJwk.n) as never, { alg: 'HS256', kid: 'rsa-1' }),
      ALGORITHM,
    ],
    ['an unknown kid', () => sign(claims(), stranger.privateKey, { alg: 'RS256', kid: 'nope' }), SIGNATURE],
    ['garbage', async () => 'x.y.z', MALFORMED],
    ['an empty string', async () => '', MALFORMED],
    ['a truncated token', async () => (await sign(claims())).split('.').slice(0, 2).join('.'), MALFORMED],
  ])('refuses %s with 401', async (_case, make, reason) => {
    const token = await make();
    const err = await rejection(token);
    expect(err).toBeInstanceOf(UnauthorizedError);
    expect((err as Error).message).toMatch(reason);
    // The description may say what failed, never echo the token.
    if (token.length > 10) {
      expect((err as Error).message).not.toContain(token.split('.')[1]);
    }
  });

  it('answers 503 when the issuer keys cannot be fetched', async () => {
    const unreachable: JWTVerifyGetKey = () => Promise.reject(new errors.JWKSTimeout());
    const offline = new TokenVerifier(
      unreachable,
      { issuer: ISSUER, audience: AUDIENCE, clockToleranceSeconds: 0 },
      clock,
    );
    await expect(offline.verify(await sign(claims()))).rejects.toBeInstanceOf(ServiceUnavailableError);
  });
});
