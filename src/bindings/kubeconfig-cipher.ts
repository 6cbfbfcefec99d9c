import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app-config';

const NONCE_BYTES = 12;
const TAG_BYTES = 16;

export interface Sealed {
  ciphertext: string;
  keyId: string;
}

/**
 * AES-256-GCM for kubeconfigs at rest: base64(nonce ‖ ciphertext ‖ tag), with the key id stored beside
 * it so keys can rotate (new rows use the active key, old rows keep decrypting with theirs).
 */
@Injectable()
export class KubeconfigCipher {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  seal(plaintext: string, aad: string): Sealed {
    const keyId = this.config.encryption.activeKeyId;
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key(keyId), nonce);
    cipher.setAAD(Buffer.from(aad));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return { ciphertext: Buffer.concat([nonce, body, cipher.getAuthTag()]).toString('base64'), keyId };
  }

  /** `aad` binds a ciphertext to its row, so a kubeconfig copied onto another binding fails to open. */
  open(sealed: Sealed, aad: string): string {
    const raw = Buffer.from(sealed.ciphertext, 'base64');
    if (raw.length < NONCE_BYTES + TAG_BYTES) {
      throw new Error('stored kubeconfig is not a valid ciphertext');
    }
    const decipher = createDecipheriv('aes-256-gcm', this.key(sealed.keyId), raw.subarray(0, NONCE_BYTES));
    decipher.setAAD(Buffer.from(aad));
    decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
    return Buffer.concat([
      decipher.update(raw.subarray(NONCE_BYTES, raw.length - TAG_BYTES)),
      decipher.final(),
    ]).toString('utf8');
  }

  private key(keyId: string): Buffer {
    const key = this.config.encryption.keys[keyId];
    if (!key) {
      throw new Error(`encryption key "${keyId}" is not configured (needed to read stored kubeconfigs)`);
    }
    return key;
  }
}
