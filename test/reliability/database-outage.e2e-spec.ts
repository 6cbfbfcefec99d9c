import { Client } from 'pg';
import { RunningBroker } from '../../src/bootstrap';
import type { Landscape } from '../../src/simulator';

import { BACKENDS, databaseUrl } from '../support/databases';
import { eventually, startBrokerOn, startTestLandscape } from '../support/landscape';
import { expectOsbError } from '../support/osb-conformance';
import { OsbClient, osbClientFor, uniqueId } from '../support/osb-client';
import { TcpProxy } from '../support/tcp-proxy';

const ADMIN_URL = process.env.TEST_POSTGRES_URL || 'postgres://postgres@127.0.0.1:5432/test';

async function readyz(url: string): Promise<{ status: number; body: any }> {
  const res = await fetch(`${url}/readyz`);
  return { status: res.status, body: await res.json() };
}

/**
 * While the database is away the broker stays up, says so (/readyz 503), answers every route that
 * needs the database with a clean 503 OSB error (never a 500, never a hang), and comes back on its own
 * once the database does: no restart, nothing lost, operations that were running finish.
 */
function outageScenario(
  label: string,
  setup: () => Promise<{
    url: string;
    backend: 'postgres' | 'embedded';
    down: () => Promise<void>;
    up: () => Promise<void>;
    teardown: () => Promise<void>;
  }>,
): void {
  describe(label, () => {
    let landscape: Landscape;
    let broker: RunningBroker;
    let osb: OsbClient;
    let env: Awaited<ReturnType<typeof setup>>;

    beforeAll(async () => {
      env = await setup();
      // Shoots take a moment, so a provisioning is still running when the database goes away.
      landscape = await startTestLandscape({ shootCreateDelayMs: 1500 });
      broker = await startBrokerOn(landscape, {
        backend: env.backend,
        // A step cut off by the outage is retried once its lease expires (30 s by default).
        env: { DATABASE_URL: env.url, DATABASE_POOL_SIZE: '4', PROVISIONING_LEASE_MS: '3000' },
      });
      osb = await osbClientFor(broker);
    });
    afterAll(async () => {
      await env?.up().catch(() => undefined);
      await broker?.close();
      await landscape?.stop();
      await env?.teardown();
    });

    it('answers 503 while the database is away and recovers without a restart', async () => {
      const ready = uniqueId('rel-db-ready');
      await osb.provisionReady(ready);
      const bound = await osb.bind(ready, 'before-outage');
      expect(bound.status).toBe(201);
      const running = uniqueId('rel-db-running');
      expect((await osb.provision(running)).status).toBe(202);

      await env.down();
      try {
        await eventually(async () => (await readyz(broker.url)).status === 503, '/readyz reporting the outage');
        const health = await readyz(broker.url);
        expect(health).toEqual({
          status: 503,
          body: expect.objectContaining({
            status: 'error',
            error: { database: expect.objectContaining({ status: 'down' }) },
          }),
        });
        // Liveness is not readiness: the process is fine, restarting it would not help.
        expect((await fetch(`${broker.url}/healthz`)).status).toBe(200);

        const during = [
          await osb.getBinding(ready, 'before-outage'),
          await osb.bind(ready, uniqueId('during')),
          await osb.unbind(ready, 'before-outage'),
          await osb.lastOperation(running),
          await osb.provision(uniqueId('rel-db-new')),
          await osb.request('GET', `/oauth/v2/service_instances/${ready}`),
          await osb.deprovision(ready),
          await osb.request('GET', '/runtimes'),
        ];
        for (const answer of during) {
          expectOsbError(answer, 503);
        }
      } finally {
        await env.up();
      }

      await eventually(async () => (await readyz(broker.url)).status === 200, '/readyz after the outage');
      // Nothing was lost or changed by the refused requests.
      const after = await osb.getBinding(ready, 'before-outage');
      expect(after.status).toBe(200);
      expect(after.body).toEqual(bound.body);
      expect((await osb.bind(ready, uniqueId('after'))).status).toBe(201);
      const finished = await osb.waitForOperation(running);
      expect(finished.body).toMatchObject({ state: 'succeeded' });
      expect((await osb.request('GET', `/oauth/v2/service_instances/${ready}`)).status).toBe(200);
    });
  });
}

describe('database outage', () => {
  for (const backend of BACKENDS) {
    // The network path to the database goes away (every connection reset, new ones refused).
    outageScenario(`network path to the database cut (${backend})`, async () => {
      const { proxy, url } = await TcpProxy.forUrl(databaseUrl(backend));
      return {
        url,
        backend,
        down: async () => proxy.cut(),
        up: async () => proxy.restore(),
        teardown: () => proxy.stop(),
      };
    });
  }

  // The PostgreSQL server itself turns the broker away: its own database stops accepting connections
  // and its sessions are terminated (pg_terminate_backend), as in a failover or an operator's maintenance.
  outageScenario('PostgreSQL refuses and terminates the connections (own database)', async () => {
    const dbName = `kbt_outage_${process.pid}_${Date.now()}`;
    const admin = new Client({ connectionString: ADMIN_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${dbName}`);
    const url = new URL(ADMIN_URL);
    url.pathname = `/${dbName}`;
    return {
      url: url.toString(),
      backend: 'postgres',
      down: async () => {
        await admin.query(`ALTER DATABASE ${dbName} ALLOW_CONNECTIONS false`);
        await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [dbName]);
      },
      up: async () => {
        await admin.query(`ALTER DATABASE ${dbName} ALLOW_CONNECTIONS true`);
      },
      teardown: async () => {
        await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
        await admin.end();
      },
    };
  });
});
