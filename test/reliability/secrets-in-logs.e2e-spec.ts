import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as yaml from 'js-yaml';
import { hashPassword } from '../../src/auth/password-hash';
import type { Landscape } from '../../src/simulator';
import { BrokerProcess } from '../support/broker-process';
import { devToken, freePort } from '../support/broker';
import { BACKENDS, databaseUrl } from '../support/databases';
import { startTestLandscape } from '../support/landscape';
import { OsbClient, uniqueId } from '../support/osb-client';

interface KubeconfigDoc {
  users: Array<{ user: { token?: string; 'client-certificate-data'?: string; 'client-key-data'?: string } }>;
}

/** A secret and the pieces of it that would still give it away (a JWT's signature, a PEM's key lines). */
function fingerprints(secret: string): string[] {
  const parts = [secret];
  if (/^eyJ[\w-]+\.[\w-]+\.[\w-]+$/.test(secret)) {
    parts.push(secret.split('.')[2]);
  }
  if (/^[A-Za-z0-9+/=]{100,}$/.test(secret)) {
    const pem = Buffer.from(secret, 'base64').toString('utf8');
    parts.push(...pem.split('\n').filter((line) => line.length >= 60 && !line.startsWith('-----')));
  }
  return parts.filter((p) => p.length >= 8);
}

/**
 * The broker as an operator runs it, at the most verbose log level, through a whole life of bindings
 * (and their failures): whatever it writes to stdout and stderr must hold no credential of any kind.
 */
describe.each(BACKENDS)('no secret in any log line (%s)', (backend) => {
  let landscape: Landscape;
  let broker: BrokerProcess | undefined;

  beforeAll(async () => {
    landscape = await startTestLandscape();
  });
  afterAll(async () => {
    await broker?.kill9().catch(() => undefined);
    await landscape?.stop();
  });

  it('logs requests and failures at trace level without kubeconfigs, tokens, keys or passwords', async () => {
    const clientSecret = `client-secret-${randomUUID()}`;
    const userPassword = `user-password-${randomUUID()}`;
    const basicPassword = `basic-password-${randomUUID()}`;
    const encryptionKey = randomBytes(32).toString('base64');
    const configFile = join(mkdtempSync(join(tmpdir(), 'kbt-logs-')), 'broker.yaml');
    writeFileSync(
      configFile,
      [
        'devIssuer:',
        '  users:',
        `    - { username: carol@example.com, password: ${userPassword}, groups: [admins] }`,
      ].join('\n'),
    );
    const running = await BrokerProcess.start({
      BROKER_PROFILE: 'local',
      PORT: String(await freePort()),
      DATA_DIR: mkdtempSync(join(tmpdir(), 'kbt-logs-data-')),
      DATABASE_URL: databaseUrl(backend),
      GARDENER_KUBECONFIG: landscape.gardenerKubeconfigPath!,
      BROKER_CONFIG: configFile,
      LOG_LEVEL: 'trace',
      DEV_CLIENT_SECRET: clientSecret,
      ENCRYPTION_KEY: encryptionKey,
      OSB_BASIC_AUTH_ENABLED: 'true',
      OSB_BASIC_AUTH_USERS: `platform:${hashPassword(basicPassword)}`,
      PROVISIONING_WORKER_INTERVAL_MS: '50',
      PROVISIONING_SHOOT_POLL_INTERVAL_MS: '50',
    });
    broker = running;
    const secrets: Array<[string, string]> = [
      ['client secret', clientSecret],
      ['user password', userPassword],
      ['basic-auth password', basicPassword],
      ['encryption key', encryptionKey],
      ['Gardener token', landscape.gardenerToken],
    ];

    const accessToken = await devToken(running.url, 'local-client', clientSecret);
    secrets.push(['access token', accessToken]);
    const osb = new OsbClient(running.url, accessToken);
    const iid = uniqueId('logs');
    // The dev client's own subaccount, so the Provisioning Service API sees the instance too.
    await osb.provisionReady(iid, {
      context: {
        globalaccount_id: 'local-global-account',
        subaccount_id: 'local-subaccount',
        user_id: 'logs@example.com',
      },
    });

    const tokenBinding = await osb.bind(iid, 'tok', { expiration_seconds: 600 });
    expect(tokenBinding.status).toBe(201);
    secrets.push(['kubeconfig', tokenBinding.body.credentials.kubeconfig]);
    const saToken = (yaml.load(tokenBinding.body.credentials.kubeconfig) as KubeconfigDoc).users[0].user.token!;
    secrets.push(['service-account token', saToken]);

    const certBinding = await osb.bind(iid, 'cert', { token_request: false });
    expect(certBinding.status).toBe(201);
    const certUser = (yaml.load(certBinding.body.credentials.kubeconfig) as KubeconfigDoc).users[0].user;
    secrets.push(['client certificate', certUser['client-certificate-data']!]);
    secrets.push(['client key', certUser['client-key-data']!]);

    expect((await osb.getBinding(iid, 'tok')).status).toBe(200);
    expect((await osb.bind(iid, 'tok', { expiration_seconds: 600 })).status).toBe(200);

    // Failure paths log too: a runtime refusing, a wrong client secret, forged tokens, bad basic credentials.
    landscape.faults.setFaults({ target: 'runtime', errorRate: 1 });
    expect((await osb.bind(iid, 'fails')).status).toBe(502);
    landscape.faults.clear();
    const wrongSecret = `wrong-secret-${randomUUID()}`;
    secrets.push(['wrong client secret', wrongSecret]);
    expect(
      (
        await fetch(`${running.url}/uaa/oauth/token`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: `grant_type=client_credentials&client_id=local-client&client_secret=${wrongSecret}`,
        })
      ).status,
    ).toBe(401);
    const forged = `${accessToken.split('.').slice(0, 2).join('.')}.${Buffer.from(randomBytes(64)).toString('base64url')}`;
    secrets.push(['forged token', forged]);
    expect((await new OsbClient(running.url, forged).request('GET', '/oauth/v2/catalog')).status).toBe(401);
    const basic = (password: string) =>
      fetch(`${running.url}/oauth/v2/catalog`, {
        headers: {
          authorization: `Basic ${Buffer.from(`platform:${password}`).toString('base64')}`,
          'x-broker-api-version': '2.17',
        },
      });
    expect((await basic(basicPassword)).status).toBe(200);
    expect((await basic(`${basicPassword}-wrong`)).status).toBe(401);

    // The Provisioning Service API and /kube-config (an OIDC ID token from the password grant).
    const papiBinding = await fetch(`${running.url}/provisioning/v1/environments/${iid}/bindings`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ parameters: { expiration_seconds: 600 } }),
    });
    expect(papiBinding.status).toBe(202);
    const papiId = papiBinding.headers.get('location');
    const papiKubeconfig = (
      (await (
        await fetch(`${running.url}/provisioning/v1/environments/${iid}/bindings/${papiId}`, {
          headers: { authorization: `Bearer ${accessToken}` },
        })
      ).json()) as { credentials: { kubeconfig: string } }
    ).credentials.kubeconfig;
    secrets.push([
      'provisioning API kubeconfig token',
      (yaml.load(papiKubeconfig) as KubeconfigDoc).users[0].user.token!,
    ]);
    const idTokenRes = await fetch(`${running.url}/uaa/oauth/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`local-client:${clientSecret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: `grant_type=password&username=carol%40example.com&password=${encodeURIComponent(userPassword)}`,
    });
    expect(idTokenRes.status).toBe(200);
    const idToken = ((await idTokenRes.json()) as { id_token: string }).id_token;
    secrets.push(['ID token', idToken]);
    const kubeConfig = await fetch(`${running.url}/kube-config?instance_id=${iid}`, {
      headers: { authorization: `Bearer ${idToken}` },
    });
    expect(kubeConfig.status).toBeLessThan(500);

    expect((await osb.unbind(iid, 'tok')).status).toBe(200);
    expect((await osb.deprovision(iid)).status).toBe(202);
    await osb.waitForOperation(iid);
    expect(await running.terminate()).toBe(0);

    const output = running.output();
    const lines = output.split('\n').filter(Boolean);
    // The capture is real: request lines of every flow were written.
    expect(lines.length).toBeGreaterThan(30);
    expect(output).toMatch(/service_bindings\/tok/);
    // Failure paths were logged as well (the runtime's 502, the refused credentials).
    expect(output).toMatch(/service_bindings\/fails".*"statusCode":502/);
    expect(output).toMatch(/"\/oauth\/v2\/catalog".*"statusCode":401/);
    for (const [what, secret] of secrets) {
      for (const piece of fingerprints(secret)) {
        const line = lines.find((l) => l.includes(piece));
        expect({ what, leakedIn: line?.slice(0, 300) }).toEqual({ what, leakedIn: undefined });
      }
    }
    // Nothing that looks like a credential, whoever it belongs to.
    expect(output).not.toMatch(/BEGIN [A-Z ]*PRIVATE KEY|eyJ[\w-]{20,}\.eyJ[\w-]{20,}\.[\w-]{20,}/);
    expect(output).not.toMatch(/client-key-data|client-certificate-data|"token":"[^"[]/);
  });
});
