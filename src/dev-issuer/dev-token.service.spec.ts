import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeProtectedHeader, jwtVerify } from 'jose';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { loadConfig } from '../config/load-config';
import { DevIssuerKeys } from './dev-issuer-keys';
import { DevTokenService } from './dev-token.service';
import { OAuthError } from './oauth-error';

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
const LOCAL = basic('local-client', 'local-secret');
const NOW = new Date('2025-06-01T12:00:00Z');
const NOW_SEC = NOW.getTime() / 1000;

/** Frozen time, so iat/exp can be asserted exactly. */
class FixedClock extends Clock {
  now(): Date {
    return new Date(NOW);
  }
}

describe('DevTokenService', () => {
  let config: AppConfig;
  let keys: DevIssuerKeys;
  const clock = new FixedClock();
  let service: DevTokenService;

  beforeAll(async () => {
    config = loadConfig({ DATA_DIR: mkdtempSync(join(tmpdir(), 'kbt-devtok-')), PORT: '8080' });
    config.devIssuer.clients.push({
      clientId: 'odd client',
      clientSecret: 'p+ss%word',
      scopes: ['runtimes:read'],
      globalAccountId: 'ga-2',
      subaccountId: 'sa-2',
    });
    keys = await DevIssuerKeys.loadOrCreate(config.dataDir);
    service = new DevTokenService(config, keys, clock);
  });

  const failure = (promise: Promise<unknown>) =>
    promise.then(
      () => undefined,
      (err: unknown) => (err instanceof OAuthError ? { status: err.status, error: err.code } : err),
    );

  it('issues a UAA-shaped client_credentials access token', async () => {
    const res = await service.issue(LOCAL, { grant_type: 'client_credentials' });
    expect(res).toMatchObject({
      token_type: 'bearer',
      expires_in: 43200,
      scope: 'broker:write runtimes:read provisioning:write',
    });
    expect(decodeProtectedHeader(res.access_token)).toEqual({ alg: 'RS256', kid: keys.kid, typ: 'JWT' });
    const { payload } = await jwtVerify(res.access_token, keys.keySet, {
      issuer: 'http://127.0.0.1:8080/uaa/oauth/token',
      audience: 'kyma-broker',
      currentDate: clock.now(),
    });
    expect(payload).toMatchObject({
      sub: 'local-client',
      client_id: 'local-client',
      cid: 'local-client',
      azp: 'local-client',
      grant_type: 'client_credentials',
      scope: ['broker:write', 'runtimes:read', 'provisioning:write'],
      zid: 'local-subaccount',
      ext_attr: { subaccountid: 'local-subaccount', globalaccountid: 'local-global-account' },
      aud: ['kyma-broker'],
      jti: res.jti,
      iat: NOW_SEC,
      exp: NOW_SEC + 43200,
    });
  });

  it('takes client credentials from form fields and from form-urlencoded Basic parts', async () => {
    const viaForm = await service.issue(undefined, {
      grant_type: 'client_credentials',
      client_id: 'local-client',
      client_secret: 'local-secret',
    });
    expect(viaForm.scope).toContain('broker:write');
    const raw = await service.issue(basic('odd client', 'p+ss%word'), { grant_type: 'client_credentials' });
    const encoded = await service.issue(basic('odd+client', 'p%2Bss%25word'), { grant_type: 'client_credentials' });
    expect([raw.scope, encoded.scope]).toEqual(['runtimes:read', 'runtimes:read']);
  });

  it('grants a requested subset of scopes and refuses scopes the client lacks', async () => {
    const res = await service.issue(LOCAL, { grant_type: 'client_credentials', scope: 'runtimes:read' });
    expect(res.scope).toBe('runtimes:read');
    expect(await failure(service.issue(LOCAL, { grant_type: 'client_credentials', scope: 'admin' }))).toEqual({
      status: 400,
      error: 'invalid_scope',
    });
  });

  it.each([
    ['no client authentication', undefined, {}, { status: 401, error: 'unauthorized' }],
    ['a wrong secret', basic('local-client', 'nope'), {}, { status: 401, error: 'unauthorized' }],
    ['an unknown client', basic('ghost', 'local-secret'), {}, { status: 401, error: 'unauthorized' }],
    ['malformed Basic', 'Basic bm9jb2xvbg==', {}, { status: 401, error: 'unauthorized' }],
    ['a missing grant type', LOCAL, { grant_type: undefined }, { status: 400, error: 'invalid_request' }],
    [
      'an unsupported grant',
      LOCAL,
      { grant_type: 'authorization_code' },
      { status: 400, error: 'unsupported_grant_type' },
    ],
    [
      'a bad client before an unsupported grant',
      basic('x', 'y'),
      { grant_type: 'foo' },
      { status: 401, error: 'unauthorized' },
    ],
  ])('refuses %s', async (_case, authorization, form, expected) => {
    expect(await failure(service.issue(authorization, { grant_type: 'client_credentials', ...form }))).toEqual(
      expected,
    );
  });

  it('issues an OIDC ID token for a dev user with the password grant', async () => {
    const res = await service.issue(LOCAL, {
      grant_type: 'password',
      username: 'admin@example.com',
      password: 'local-password',
    });
    expect(res.scope).toBe('openid');
    const { payload } = await jwtVerify(res.id_token ?? '', keys.keySet, {
      issuer: 'http://127.0.0.1:8080/uaa',
      audience: 'kyma-runtime',
      currentDate: clock.now(),
    });
    expect(payload).toMatchObject({
      sub: 'admin@example.com',
      email: 'admin@example.com',
      email_verified: true,
      groups: ['runtimeAdmin'],
      azp: 'local-client',
      exp: NOW_SEC + 86400,
    });
    // The user's access token is for the broker's issuer, and carries no broker scope.
    const access = await jwtVerify(res.access_token, keys.keySet, {
      issuer: config.auth.issuer,
      audience: 'kyma-broker',
      currentDate: clock.now(),
    });
    expect(access.payload).toMatchObject({
      sub: 'admin@example.com',
      user_name: 'admin@example.com',
      scope: ['openid'],
    });
  });

  it.each([
    ['a wrong password', { username: 'admin@example.com', password: 'nope' }, { status: 401, error: 'unauthorized' }],
    ['an unknown user', { username: 'ghost', password: 'local-password' }, { status: 401, error: 'unauthorized' }],
    ['no password', { username: 'admin@example.com' }, { status: 400, error: 'invalid_request' }],
  ])('refuses a password grant with %s', async (_case, form, expected) => {
    expect(await failure(service.issue(LOCAL, { grant_type: 'password', ...form }))).toEqual(expected);
  });
});
