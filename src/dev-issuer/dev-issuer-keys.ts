import { createPrivateKey, createPublicKey, generateKeyPair, JsonWebKey, KeyObject, randomUUID } from 'node:crypto';
import { link, readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { calculateJwkThumbprint, createLocalJWKSet, JWK, JWTVerifyGetKey } from 'jose';

export const DEV_ISSUER_KEY_FILE = 'dev-issuer-key.json';
export const DEV_ISSUER_ALG = 'RS256';

/**
 * The dev issuer's RS256 signing key, kept in `<dataDir>/dev-issuer-key.json` (private JWK, mode 0600)
 * so tokens and kubeconfigs issued before a restart stay valid after it. Access tokens and OIDC ID
 * tokens share this key; the verifiers tell them apart by issuer and audience.
 */
export class DevIssuerKeys {
  /** In-process key set for the access-token verifier: no HTTP round trip to ourselves. */
  readonly keySet: JWTVerifyGetKey;

  private constructor(
    readonly kid: string,
    readonly privateKey: KeyObject,
    readonly publicJwk: JWK,
  ) {
    this.keySet = createLocalJWKSet({ keys: [publicJwk] });
  }

  static async loadOrCreate(dataDir: string): Promise<DevIssuerKeys> {
    const file = join(dataDir, DEV_ISSUER_KEY_FILE);
    let stored = await readIfExists(file);
    if (stored === undefined) {
      const created = await createJwk();
      // Written whole under a name of its own, then linked into place: link() fails with EEXIST when another
      // process sharing the data directory got there first (then its key is read), and the file never appears
      // half-written, as it could with an exclusive create followed by a write.
      const draft = `${file}.${process.pid}.${randomUUID()}.tmp`;
      await writeFile(draft, `${JSON.stringify(created)}\n`, { mode: 0o600, flag: 'wx' });
      try {
        await link(draft, file);
        stored = created;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
          throw err;
        }
        stored = await readIfExists(file);
      } finally {
        await unlink(draft).catch(() => undefined);
      }
    }
    return DevIssuerKeys.fromJwk(stored, file);
  }

  jwks(): { keys: JWK[] } {
    return { keys: [this.publicJwk] };
  }

  private static fromJwk(jwk: JWK | undefined, file: string): DevIssuerKeys {
    if (!jwk || jwk.kty !== 'RSA' || typeof jwk.d !== 'string' || typeof jwk.kid !== 'string') {
      throw new Error(`${file} does not hold an RSA private JWK with a kid; delete it to generate a new key`);
    }
    const privateKey = createPrivateKey({ key: jwk as JsonWebKey, format: 'jwk' });
    const { n, e } = createPublicKey(privateKey).export({ format: 'jwk' });
    return new DevIssuerKeys(jwk.kid, privateKey, { kty: 'RSA', n, e, kid: jwk.kid, alg: DEV_ISSUER_ALG, use: 'sig' });
  }
}

async function createJwk(): Promise<JWK> {
  const privateKey = await new Promise<KeyObject>((resolve, reject) =>
    generateKeyPair('rsa', { modulusLength: 2048 }, (err, _pub, priv) => (err ? reject(err) : resolve(priv))),
  );
  const jwk = privateKey.export({ format: 'jwk' }) as JWK;
  // RFC 7638 thumbprint: a stable kid derived from the key itself.
  const kid = await calculateJwkThumbprint({ kty: 'RSA', n: jwk.n, e: jwk.e });
  return { ...jwk, kid, alg: DEV_ISSUER_ALG, use: 'sig' };
}

async function readIfExists(file: string): Promise<JWK | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      return undefined;
    }
    throw err;
  }
  try {
    return JSON.parse(text) as JWK;
  } catch {
    throw new Error(`${file} is not valid JSON; delete it to generate a new key`);
  }
}
