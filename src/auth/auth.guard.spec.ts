import { Controller, Get, INestApplication, ValidationPipe } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UnsecuredJWT } from 'jose';
import { ManualClock } from '../common/clock';
import { CommonModule } from '../common/common.module';
import { OsbErrorFilter } from '../common/osb-error.filter';
import { loadConfig } from '../config/load-config';
import { ConfigModule } from '../config/config.module';
import { DevIssuerModule } from '../dev-issuer/dev-issuer.module';
import { AuthModule } from './auth.module';
import { CurrentPrincipal } from './current-principal.decorator';
import { hashPassword } from './password-hash';
import { Principal } from './principal';
import { RequireScope } from './require-scope.decorator';

@Controller('probe')
class ProbeController {
  @Get('public')
  open(): { ok: true } {
    return { ok: true };
  }

  @Get('osb')
  @RequireScope('osb')
  osb(@CurrentPrincipal() principal: Principal): Omit<Principal, 'claims'> {
    const { claims: _claims, ...rest } = principal;
    return rest;
  }

  @Get('runtimes')
  @RequireScope('runtimesRead')
  runtimes(): { ok: true } {
    return { ok: true };
  }
}

@Controller('probe/provisioning')
@RequireScope('provisioning')
class ClassScopedController {
  @Get()
  get(): { ok: true } {
    return { ok: true };
  }
}

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

/** The guard over real HTTP, with the dev issuer's real tokens; the issuer string names port 8080 while
 * the app listens on a random one, as in tests of the whole broker. */
describe('AuthGuard over HTTP', () => {
  const clock = new ManualClock();
  let app: INestApplication;
  let base: string;

  beforeAll(async () => {
    const config = loadConfig({
      BROKER_PROFILE: 'local',
      PORT: '8080',
      DATA_DIR: mkdtempSync(join(tmpdir(), 'kbt-guard-')),
      OSB_BASIC_AUTH_ENABLED: 'true',
      OSB_BASIC_AUTH_USERS: `platform:${hashPassword('platform-password')}`,
    });
    config.devIssuer.clients.push({
      clientId: 'reader',
      clientSecret: 'reader-secret',
      scopes: ['runtimes:read'],
      globalAccountId: 'ga-r',
      subaccountId: 'sa-r',
    });
    const moduleRef = await Test.createTestingModule({
      imports: [ConfigModule.forRoot(config), CommonModule.forRoot(clock), AuthModule.forRoot(config), DevIssuerModule],
      controllers: [ProbeController, ClassScopedController],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    app.useGlobalFilters(new OsbErrorFilter());
    app.useGlobalPipes(new ValidationPipe({ transform: true, whitelist: true }));
    await app.listen(0, '127.0.0.1');
    base = await app.getUrl();
    base = base.replace('[::1]', '127.0.0.1');
  });
  afterAll(async () => {
    await app.close();
  });
  beforeEach(() => clock.set(new Date()));

  const token = async (clientId = 'local-client', secret = 'local-secret', form = 'grant_type=client_credentials') => {
    const res = await fetch(`${base}/uaa/oauth/token`, {
      method: 'POST',
      headers: { authorization: basic(clientId, secret), 'content-type': 'application/x-www-form-urlencoded' },
      body: form,
    });
    expect(res.status).toBe(200);
    return (await res.json()) as { access_token: string; id_token?: string };
  };
  const get = (path: string, authorization?: string) =>
    fetch(`${base}${path}`, { headers: authorization ? { authorization } : {} });

  it('leaves routes without @RequireScope public', async () => {
    expect((await get('/probe/public')).status).toBe(200);
  });

  it('answers 401 with the OSB error body and Bearer (+ Basic on OSB routes) challenges without credentials', async () => {
    const osb = await get('/probe/osb');
    expect(osb.status).toBe(401);
    expect(await osb.json()).toEqual({
      error: 'Unauthorized',
      description: 'missing Authorization header: send Bearer <access token>',
    });
    expect(osb.headers.get('www-authenticate')).toBe(
      'Bearer realm="kyma-broker", Basic realm="kyma-broker", charset="UTF-8"',
    );
    const runtimes = await get('/probe/runtimes');
    expect(runtimes.status).toBe(401);
    expect(runtimes.headers.get('www-authenticate')).toBe('Bearer realm="kyma-broker"');
  });

  it.each([
    ['garbage', 'Bearer x.y.z'],
    ['alg none', `Bearer ${new UnsecuredJWT({ sub: 'x', scope: ['broker:write'] }).encode()}`],
    ['an unknown scheme', 'Digest abc'],
    ['an empty bearer', 'Bearer '],
  ])('refuses %s with 401 invalid_token', async (_case, authorization) => {
    const res = await get('/probe/osb', authorization);
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: string }).error).toBe('Unauthorized');
    expect(res.headers.get('www-authenticate')).toContain('Bearer realm="kyma-broker", error="invalid_token"');
  });

  it('accepts a dev issuer token and exposes the principal with its tenancy', async () => {
    const { access_token } = await token();
    const res = await get('/probe/osb', `bearer ${access_token}`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      subject: 'local-client',
      clientId: 'local-client',
      scopes: ['broker:write', 'runtimes:read', 'provisioning:write'],
      globalAccountId: 'local-global-account',
      subaccountId: 'local-subaccount',
      authenticatedBy: 'bearer',
    });
    expect((await get('/probe/provisioning', `Bearer ${access_token}`)).status).toBe(200);
  });

  it('answers 403 with insufficient_scope for a valid token without the route scope', async () => {
    const { access_token } = await token('reader', 'reader-secret');
    const res = await get('/probe/osb', `Bearer ${access_token}`);
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ error: 'Forbidden', description: 'the token lacks the scope broker:write' });
    expect(res.headers.get('www-authenticate')).toContain('error="insufficient_scope", scope="broker:write"');
    expect((await get('/probe/runtimes', `Bearer ${access_token}`)).status).toBe(200);
    expect((await get('/probe/provisioning', `Bearer ${access_token}`)).status).toBe(403);
  });

  it('does not take an OIDC ID token of the same key as an access token', async () => {
    const { id_token } = await token(
      'local-client',
      'local-secret',
      'grant_type=password&username=admin%40example.com&password=local-password',
    );
    const res = await get('/probe/osb', `Bearer ${id_token}`);
    expect(res.status).toBe(401);
    expect(((await res.json()) as { description: string }).description).toMatch(/"iss" claim/);
  });

  it('refuses a token once the clock passes its expiry', async () => {
    const { access_token } = await token();
    clock.advance(12 * 3600 * 1000 + 60_000);
    const res = await get('/probe/osb', `Bearer ${access_token}`);
    expect(res.status).toBe(401);
    expect(((await res.json()) as { description: string }).description).toBe('the bearer token has expired');
  });

  it('takes Basic credentials on OSB routes only', async () => {
    const ok = await get('/probe/osb', basic('platform', 'platform-password'));
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ subject: 'platform', scopes: ['broker:write'], authenticatedBy: 'basic' });
    expect((await get('/probe/osb', basic('platform', 'wrong'))).status).toBe(401);
    expect((await get('/probe/osb', basic('nobody', 'platform-password'))).status).toBe(401);
    const elsewhere = await get('/probe/runtimes', basic('platform', 'platform-password'));
    expect(elsewhere.status).toBe(401);
    expect(((await elsewhere.json()) as { description: string }).description).toMatch(
      /Basic authentication is not accepted/,
    );
  });
});
