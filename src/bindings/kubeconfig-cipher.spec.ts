import { randomBytes } from 'node:crypto';
import { AppConfig } from '../config/app-config';
import { KubeconfigCipher } from './kubeconfig-cipher';

function cipherWith(keys: Record<string, Buffer>, activeKeyId: string): KubeconfigCipher {
  return new KubeconfigCipher({ encryption: { keys, activeKeyId } } as unknown as AppConfig);
}

describe('KubeconfigCipher', () => {
  const k1 = randomBytes(32);
  const k2 = randomBytes(32);

  it('round-trips and never stores the plaintext', () => {
    const cipher = cipherWith({ k1 }, 'k1');
    const sealed = cipher.seal('apiVersion: v1\nkind: Config\n', 'i/b');
    expect(sealed.keyId).toBe('k1');
    expect(Buffer.from(sealed.ciphertext, 'base64').toString('utf8')).not.toContain('kind: Config');
    expect(cipher.open(sealed, 'i/b')).toBe('apiVersion: v1\nkind: Config\n');
  });

  it('uses a fresh nonce each time', () => {
    const cipher = cipherWith({ k1 }, 'k1');
    expect(cipher.seal('x', 'a').ciphertext).not.toBe(cipher.seal('x', 'a').ciphertext);
  });

  it('refuses a ciphertext moved to another row or tampered with', () => {
    const cipher = cipherWith({ k1 }, 'k1');
    const sealed = cipher.seal('secret', 'i/b1');
    expect(() => cipher.open(sealed, 'i/b2')).toThrow();
    const raw = Buffer.from(sealed.ciphertext, 'base64');
    raw[14] ^= 1;
    expect(() => cipher.open({ ...sealed, ciphertext: raw.toString('base64') }, 'i/b1')).toThrow();
  });

  it('keeps reading rows of a rotated-out key', () => {
    const old = cipherWith({ k1 }, 'k1').seal('old secret', 'r');
    const rotated = cipherWith({ k1, k2 }, 'k2');
    expect(rotated.open(old, 'r')).toBe('old secret');
    expect(rotated.seal('new', 'r').keyId).toBe('k2');
  });

  it('names a missing key', () => {
    const sealed = cipherWith({ k1 }, 'k1').seal('x', 'r');
    expect(() => cipherWith({ k2 }, 'k2').open(sealed, 'r')).toThrow(/"k1"/);
  });
});
