import { Client } from 'pg';
import * as yaml from 'js-yaml';
import { RunningBroker } from '../../src/bootstrap';
import { ManualClock } from '../../src/common/clock';
import { ExpiredBindingsCleanup } from '../../src/cleanup/expired-bindings-cleanup';
import { startTestBroker } from '../support/broker';
import { BACKENDS, databaseUrl } from '../support/databases';
import { kubectl } from '../support/kubectl';
import { OsbClient, osbClientFor, uniqueId } from '../support/osb-client';

describe.each(BACKENDS)('OSB bindings (%s)', (backend) => {
  let broker: RunningBroker;
  let osb: OsbClient;
  const clock = new ManualClock();

  beforeAll(async () => {
    broker = await startTestBroker({ backend, clock });
    osb = await osbClientFor(broker);
  });
  afterAll(async () => {
    await broker.close();
  });

  async function readyInstance(): Promise<string> {
    const id = uniqueId('e2e-bind');
    await osb.provisionReady(id);
    return id;
  }

  it('seed 000: a token kubeconfig that kubectl uses as is, revoked by unbind, then 410', async () => {
    const iid = await readyInstance();
    const bid = uniqueId('b');
    const created = await osb.bind(iid, bid, {});
    expect(created.status).toBe(201);
    const kubeconfig: string = created.body.credentials.kubeconfig;
    const expiresAt = new Date(created.body.metadata.expires_at);
    expect(created.body.metadata.expires_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\dZ$/);
    expect(Math.abs(expiresAt.getTime() - (Date.now() + 600_000))).toBeLessThan(5000);

    const doc = yaml.load(kubeconfig) as { 'current-context': string; users: Array<{ user: { token: string } }> };
    expect(doc['current-context']).toMatch(/^rt-/);
    const jwt = JSON.parse(Buffer.from(doc.users[0].user.token.split('.')[1], 'base64url').toString()) as {
      sub: string;
      exp: number;
    };
    expect(jwt.sub).toBe(`system:serviceaccount:kyma-system:kyma-binding-${bid}`);
    expect(jwt.exp * 1000).toBe(expiresAt.getTime());

    const pods = await kubectl(kubeconfig, ['get', 'pods']);
    expect(pods.stderr).toBe('');
    expect(pods.code).toBe(0);
    const whoami = await kubectl(kubeconfig, ['auth', 'whoami']);
    expect(whoami.stdout).toContain(`system:serviceaccount:kyma-system:kyma-binding-${bid}`);

    const fetched = await osb.getBinding(iid, bid);
    expect(fetched.status).toBe(200);
    expect(fetched.body.credentials.kubeconfig).toBe(kubeconfig);

    const deleted = await osb.unbind(iid, bid);
    expect(deleted.status).toBe(200);
    expect(deleted.body).toEqual({});
    const refused = await kubectl(kubeconfig, ['get', 'pods']);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/Unauthorized|must be logged in/);
    expect((await osb.unbind(iid, bid)).status).toBe(410);
    expect((await osb.getBinding(iid, bid)).status).toBe(404);
  });

  it('honours expiration_seconds bounds and types', async () => {
    const iid = await readyInstance();
    const cases: Array<[unknown, number, RegExp]> = [
      [{ expiration_seconds: 599 }, 400, /cannot be less than 600/],
      [{ expiration_seconds: 7201 }, 400, /cannot be greater than 7200/],
      [{ expiration_seconds: '900' }, 400, /expiration_seconds/],
      [{ token_request: 'yes' }, 400, /token_request/],
    ];
    for (const [parameters, status, message] of cases) {
      const res = await osb.bind(iid, uniqueId('bad'), parameters);
      expect(res.status).toBe(status);
      expect(res.body.description).toMatch(message);
    }
    const long = await osb.bind(iid, uniqueId('long'), { expiration_seconds: 7200 });
    expect(long.status).toBe(201);
    expect(Math.abs(new Date(long.body.metadata.expires_at).getTime() - (Date.now() + 7_200_000))).toBeLessThan(5000);
  });

  it('is idempotent: same parameters → 200 with the same credentials, different → 409', async () => {
    const iid = await readyInstance();
    const bid = uniqueId('idem');
    const first = await osb.bind(iid, bid);
    expect(first.status).toBe(201);
    const second = await osb.bind(iid, bid, { expiration_seconds: 600 });
    expect(second.status).toBe(200);
    expect(second.body).toEqual(first.body);
    const conflict = await osb.bind(iid, bid, { expiration_seconds: 1200 });
    expect(conflict.status).toBe(409);
    expect(conflict.body.description).toBe('binding already exists but with different parameters');
  });

  it('keeps at most 10 non-expired bindings under 30 concurrent binds', async () => {
    const iid = await readyInstance();
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => osb.bind(iid, `c-${i}`)));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(10);
    expect(statuses.filter((s) => s === 400)).toHaveLength(20);
    const refused = results.find((r) => r.status === 400)!;
    expect(refused.body.description).toBe('maximum number of non expired bindings reached: 10');
  });

  it('answers 50 concurrent identical binds with one 201 and 200s with the same credentials', async () => {
    const iid = await readyInstance();
    const results = await Promise.all(Array.from({ length: 50 }, () => osb.bind(iid, 'same-one')));
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 200)).toHaveLength(49);
    const kubeconfigs = new Set(results.map((r) => r.body.credentials.kubeconfig as string));
    expect(kubeconfigs.size).toBe(1);
  });

  it('issues a Gardener admin certificate kubeconfig with token_request=false', async () => {
    const iid = await readyInstance();
    const res = await osb.bind(iid, uniqueId('adm'), { token_request: false });
    expect(res.status).toBe(201);
    const kubeconfig: string = res.body.credentials.kubeconfig;
    expect(kubeconfig).toContain('client-certificate-data');
    const pods = await kubectl(kubeconfig, ['get', 'pods', '-A']);
    expect(pods.code).toBe(0);
  });

  it('refuses bindings for unknown instances (404), unknown plans are n/a, bad ids (400)', async () => {
    expect((await osb.bind(uniqueId('nobody'), 'b1')).status).toBe(404);
    const iid = await readyInstance();
    const bad = await osb.bind(iid, 'Not_A_Kube_Name');
    expect(bad.status).toBe(400);
    expect(bad.body.description).toMatch(/binding_id/);
    const missing = await osb.request('PUT', `/oauth/v2/service_instances/${iid}/service_bindings/x1`, {
      plan_id: 'p',
    });
    expect(missing.status).toBe(400);
    expect(missing.body.description).toMatch(/service_id missing/);
    const unbindMissing = await osb.request('DELETE', `/oauth/v2/service_instances/${iid}/service_bindings/x1`);
    expect(unbindMissing.status).toBe(400);
  });

  it('stores kubeconfigs encrypted: the raw row holds no kubeconfig text', async () => {
    const iid = await readyInstance();
    const bid = uniqueId('enc');
    const res = await osb.bind(iid, bid);
    expect(res.status).toBe(201);
    const token = (yaml.load(res.body.credentials.kubeconfig) as { users: Array<{ user: { token: string } }> }).users[0]
      .user.token;
    const pg = new Client({ connectionString: databaseUrl(backend) });
    await pg.connect();
    try {
      const { rows } = await pg.query('SELECT * FROM bindings WHERE instance_id = $1 AND binding_id = $2', [iid, bid]);
      expect(rows).toHaveLength(1);
      const raw = JSON.stringify(rows[0]);
      expect(raw).not.toContain('apiVersion');
      expect(raw).not.toContain(token);
      expect(raw).not.toContain(token.split('.')[1]);
      expect(rows[0].key_id).toBe('k1');
    } finally {
      await pg.end();
    }
  });

  it('deprovisioning with live bindings succeeds and removes them (then 410)', async () => {
    const iid = await readyInstance();
    expect((await osb.bind(iid, 'd1')).status).toBe(201);
    expect((await osb.bind(iid, 'd2')).status).toBe(201);
    expect((await osb.deprovision(iid)).status).toBe(202);
    expect((await osb.getBinding(iid, 'd1')).status).toBe(404);
    expect((await osb.bind(iid, 'd3')).status).toBe(422);
    expect((await osb.waitForOperation(iid)).status).toBe(410);
    expect((await osb.unbind(iid, 'd1')).status).toBe(410);
    expect((await osb.unbind(iid, 'd2')).status).toBe(410);
  });

  it('the cleanup job removes expired bindings and keeps live ones (injected clock)', async () => {
    const iid = await readyInstance();
    const short = await osb.bind(iid, 'short', { expiration_seconds: 600 });
    const long = await osb.bind(iid, 'long', { expiration_seconds: 7200 });
    expect([short.status, long.status]).toEqual([201, 201]);
    clock.advance(30 * 60 * 1000);
    try {
      expect((await osb.getBinding(iid, 'short')).body).toEqual({ description: 'Binding expired' });
      const report = await broker.app.get(ExpiredBindingsCleanup).run();
      expect(report.ran).toBe(true);
      expect(report.removed).toBeGreaterThanOrEqual(1);
      expect((await osb.getBinding(iid, 'short')).body).toEqual({ description: 'Binding not found' });
      expect((await osb.getBinding(iid, 'long')).status).toBe(200);
      // The expired binding's ServiceAccount is gone from the runtime: its token no longer works.
      const refused = await kubectl(short.body.credentials.kubeconfig, ['get', 'pods']);
      expect(refused.code).not.toBe(0);
    } finally {
      clock.set(new Date());
    }
  });
});
