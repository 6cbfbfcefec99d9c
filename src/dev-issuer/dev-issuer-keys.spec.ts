import { mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jwtVerify, SignJWT } from 'jose';
import { DEV_ISSUER_KEY_FILE, DevIssuerKeys } from './dev-issuer-keys';

const tmp = () => mkdtempSync(join(tmpdir(), 'kbt-devkeys-'));

describe('DevIssuerKeys', () => {
  it('creates an RS256 key with a kid, stored 0600, and reloads the same key after a restart', async () => {
    const dir = tmp();
    const first = await DevIssuerKeys.loadOrCreate(dir);
    expect(statSync(join(dir, DEV_ISSUER_KEY_FILE)).mode & 0o777).toBe(0o600);
    expect(first.publicJwk).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig', kid: first.kid, e: 'AQAB' });
    expect(first.publicJwk).not.toHaveProperty('d');

    const token = await new SignJWT({ sub: 'x' })
      .setProtectedHeader({ alg: 'RS256', kid: first.kid })
      .sign(first.privateKey);
    const second = await DevIssuerKeys.loadOrCreate(dir);
    expect(second.kid).toBe(first.kid);
    await expect(jwtVerify(token, second.keySet)).resolves.toMatchObject({ payload: { sub: 'x' } });
    expect(second.jwks()).toEqual({ keys: [first.publicJwk] });
  });

  it('gives processes starting together on one data directory the same key', async () => {
    // Several rounds: a reader that catches the file half-written (it once did) fails the round.
    for (let round = 0; round < 4; round++) {
      const dir = tmp();
      const keys = await Promise.all(Array.from({ length: 6 }, () => DevIssuerKeys.loadOrCreate(dir)));
      expect(new Set(keys.map((k) => k.kid)).size).toBe(1);
      expect(readdirSync(dir)).toEqual([DEV_ISSUER_KEY_FILE]);
    }
  });

  it('refuses a damaged key file with a hint instead of replacing it silently', async () => {
    const dir = tmp();
    writeFileSync(join(dir, DEV_ISSUER_KEY_FILE), '{not json');
    await expect(DevIssuerKeys.loadOrCreate(dir)).rejects.toThrow(/delete it to generate a new key/);
    writeFileSync(join(dir, DEV_ISSUER_KEY_FILE), JSON.stringify({ kty: 'EC', kid: 'k' }));
    await expect(DevIssuerKeys.loadOrCreate(dir)).rejects.toThrow(/RSA private JWK/);
  });
});
