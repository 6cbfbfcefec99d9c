import { hashPassword, isPasswordHash, verifyPassword, verifyPasswordAsync } from './password-hash';

describe('password hashes', () => {
  const hash = hashPassword('correct horse');

  it('has the scrypt$<salt>$<hash> format with a fresh salt each time', () => {
    expect(hash).toMatch(/^scrypt\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(hashPassword('correct horse')).not.toBe(hash);
    expect(isPasswordHash(hash)).toBe(true);
  });

  it('accepts the right password and refuses others', async () => {
    expect(verifyPassword('correct horse', hash)).toBe(true);
    expect(verifyPassword('correct horsE', hash)).toBe(false);
    expect(verifyPassword('', hash)).toBe(false);
    await expect(verifyPasswordAsync('correct horse', hash)).resolves.toBe(true);
    await expect(verifyPasswordAsync('wrong', hash)).resolves.toBe(false);
  });

  it('refuses malformed hashes instead of throwing', async () => {
    for (const bad of [
      '',
      'plain',
      'scrypt$',
      'scrypt$abc',
      'bcrypt$c2FsdHNhbHQ=$aGFzaGhhc2hoYXNoaGFzaA==',
      'scrypt$$',
    ]) {
      expect(isPasswordHash(bad)).toBe(false);
      expect(verifyPassword('x', bad)).toBe(false);
      await expect(verifyPasswordAsync('x', bad)).resolves.toBe(false);
    }
  });
});
