import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UnauthorizedError } from '../common/domain-errors';
import { loadConfig } from '../config/load-config';
import { BasicAuthVerifier } from './basic-auth.verifier';
import { hashPassword } from './password-hash';

const basic = (user: string, password: string) => Buffer.from(`${user}:${password}`).toString('base64');

describe('BasicAuthVerifier', () => {
  const config = loadConfig({
    DATA_DIR: mkdtempSync(join(tmpdir(), 'kbt-basic-')),
    OSB_BASIC_AUTH_ENABLED: 'true',
    OSB_BASIC_AUTH_USERS: `platform:${hashPassword('s3cret:with:colons')}`,
  });
  const verifier = new BasicAuthVerifier(config);

  it('accepts a configured user (passwords may contain colons) with the OSB scope only', async () => {
    const principal = await verifier.verify(basic('platform', 's3cret:with:colons'));
    expect(principal).toEqual({ subject: 'platform', scopes: ['broker:write'], authenticatedBy: 'basic', claims: {} });
  });

  it.each([
    ['a wrong password', basic('platform', 's3cret')],
    ['an unknown user', basic('intruder', 's3cret:with:colons')],
    ['no colon', Buffer.from('platform').toString('base64')],
    ['an empty user name', basic('', 'x')],
    ['not base64 at all', '%%%'],
  ])('refuses %s', async (_case, encoded) => {
    await expect(verifier.verify(encoded)).rejects.toBeInstanceOf(UnauthorizedError);
  });
});
