import { decodeJwt, decodeProtectedHeader } from 'jose';
import type { SimulatorClock } from './clock';
import { createTokenSigningKey, KeyPair } from './pki';
import { DEFAULT_ISSUER, ServiceAccountTokens, TokenSubjects } from './sa-tokens';

class ManualClock implements SimulatorClock {
  constructor(private current: Date) {}
  now(): Date {
    return new Date(this.current);
  }
  advance(seconds: number): void {
    this.current = new Date(this.current.getTime() + seconds * 1000);
  }
}

const T0 = new Date('2026-01-01T12:00:00Z');
const SA = { namespace: 'kyma-system', name: 'kyma-binding-b1', uid: 'f3b2a1c0-0000-4000-8000-000000000001' };

describe('service-account tokens', () => {
  let keys: KeyPair;
  let otherKeys: KeyPair;
  beforeAll(async () => {
    [keys, otherKeys] = await Promise.all([createTokenSigningKey(), createTokenSigningKey()]);
  });

  let clock: ManualClock;
  let tokens: ServiceAccountTokens;
  let accounts: Map<string, { uid?: string; deletionTimestamp?: string }>;
  const subjects: TokenSubjects = {
    serviceAccount: (ns, name) => accounts.get(`${ns}/${name}`),
    boundObject: () => undefined,
  };

  beforeEach(async () => {
    clock = new ManualClock(T0);
    tokens = await ServiceAccountTokens.create({ clock, keys });
    accounts = new Map([[`${SA.namespace}/${SA.name}`, { uid: SA.uid }]]);
  });

  async function issue(expirationSeconds = 600, audiences = [DEFAULT_ISSUER]): Promise<string> {
    return (await tokens.issue({ ...SA, audiences, expirationSeconds })).token;
  }

  it('signs RS256 JWTs with the real claims and a key id derived from the public key', async () => {
    const issued = await tokens.issue({ ...SA, audiences: [DEFAULT_ISSUER], expirationSeconds: 600 });
    expect(decodeProtectedHeader(issued.token)).toEqual({ alg: 'RS256', kid: tokens.keyId });
    expect(tokens.keyId).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const claims = decodeJwt(issued.token);
    const iat = T0.getTime() / 1000;
    expect(claims).toMatchObject({
      iss: 'https://kubernetes.default.svc.cluster.local',
      sub: 'system:serviceaccount:kyma-system:kyma-binding-b1',
      aud: ['https://kubernetes.default.svc.cluster.local'],
      iat,
      nbf: iat,
      exp: iat + 600,
      'kubernetes.io': { namespace: 'kyma-system', serviceaccount: { name: 'kyma-binding-b1', uid: SA.uid } },
    });
    expect(claims.jti).toMatch(/^[0-9a-f-]{36}$/);
    expect(issued.expiresAt.toISOString()).toBe('2026-01-01T12:10:00.000Z');
  });

  it('accepts a valid token as the ServiceAccount user with the JTI credential id', async () => {
    const token = await issue();
    const result = await tokens.validate(token, subjects);
    expect(result).toEqual({
      ok: true,
      user: {
        username: 'system:serviceaccount:kyma-system:kyma-binding-b1',
        uid: SA.uid,
        groups: ['system:serviceaccounts', 'system:serviceaccounts:kyma-system', 'system:authenticated'],
        extra: { 'authentication.kubernetes.io/credential-id': [`JTI=${String(decodeJwt(token).jti)}`] },
      },
    });
  });

  it('expires exactly at exp with no leeway, and within the leeway when one is configured', async () => {
    const token = await issue(600);
    clock.advance(600);
    expect((await tokens.validate(token, subjects)).ok).toBe(true);
    clock.advance(1);
    expect(await tokens.validate(token, subjects)).toEqual({ ok: false, reason: 'service account token has expired' });

    const lenient = await ServiceAccountTokens.create({ clock, keys, leewaySeconds: 60 });
    expect((await lenient.validate(token, subjects)).ok).toBe(true);
    clock.advance(60);
    expect((await lenient.validate(token, subjects)).ok).toBe(false);
  });

  it('refuses tokens that are not valid yet (the clock went back)', async () => {
    const token = await issue();
    clock.advance(-5);
    expect(await tokens.validate(token, subjects)).toEqual({
      ok: false,
      reason: 'service account token is not valid yet',
    });
  });

  it('refuses a token for a foreign audience but accepts any overlap', async () => {
    expect((await tokens.validate(await issue(600, ['https://elsewhere.example']), subjects)).ok).toBe(false);
    expect((await tokens.validate(await issue(600, ['https://elsewhere.example', DEFAULT_ISSUER]), subjects)).ok).toBe(
      true,
    );
  });

  it('revokes on ServiceAccount deletion, on recreation under the same name, and on pending deletion', async () => {
    const token = await issue();
    accounts.delete(`${SA.namespace}/${SA.name}`);
    expect(await tokens.validate(token, subjects)).toEqual({
      ok: false,
      reason: 'serviceaccounts "kyma-binding-b1" not found',
    });
    accounts.set(`${SA.namespace}/${SA.name}`, { uid: 'another-uid' });
    expect(await tokens.validate(token, subjects)).toEqual({
      ok: false,
      reason: `service account UID (another-uid) does not match claim (${SA.uid})`,
    });
    accounts.set(`${SA.namespace}/${SA.name}`, { uid: SA.uid, deletionTimestamp: '2026-01-01T11:59:00Z' });
    expect((await tokens.validate(token, subjects)).ok).toBe(false);
  });

  it('refuses tokens signed by another key or tampered with', async () => {
    const foreign = await ServiceAccountTokens.create({ clock, keys: otherKeys });
    const forged = (await foreign.issue({ ...SA, audiences: [DEFAULT_ISSUER], expirationSeconds: 600 })).token;
    expect(await tokens.validate(forged, subjects)).toEqual({ ok: false, reason: 'invalid signature' });

    const [header, , signature] = (await issue()).split('.');
    const payload = Buffer.from(
      JSON.stringify({ ...decodeJwt(await issue()), sub: 'system:serviceaccount:kube-system:admin' }),
    ).toString('base64url');
    expect((await tokens.validate(`${header}.${payload}.${signature}`, subjects)).ok).toBe(false);
    expect(await tokens.validate('not-a-jwt', subjects)).toEqual({ ok: false, reason: 'invalid signature' });
  });

  it('recognises its own issuer only', async () => {
    expect(tokens.isOurs(await issue())).toBe(true);
    expect(tokens.isOurs('a.b.c')).toBe(false);
    const other = await ServiceAccountTokens.create({ clock, keys, issuer: 'https://issuer.example' });
    expect(other.isOurs(await issue())).toBe(false);
  });
});
