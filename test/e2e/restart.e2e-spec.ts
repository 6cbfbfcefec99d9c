import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBroker } from '../../src/bootstrap';
import { loadConfig } from '../../src/config/load-config';
import { startLandscape } from '../../src/simulator';
import { freePort } from '../support/broker';
import { BACKENDS, databaseUrl } from '../support/databases';
import { osbClientFor, uniqueId } from '../support/osb-client';

/**
 * A broker stopped while an operation runs, and a new one started on the same database and landscape,
 * finishes the operation: progress lives in the database, not in the process.
 */
describe.each(BACKENDS)('restart mid-operation (%s)', (backend) => {
  it('resumes a pending provisioning after a restart and keeps bindings readable', async () => {
    let kubeconfig = '';
    const landscapeDir = mkdtempSync(join(tmpdir(), 'kbt-landscape-'));
    const landscape = await startLandscape({ dataDir: landscapeDir, shootCreateDelayMs: 1500, shootDeleteDelayMs: 0 });
    const port = await freePort();
    const env = {
      BROKER_PROFILE: 'local',
      PORT: String(port),
      DATA_DIR: mkdtempSync(join(tmpdir(), 'kbt-restart-')),
      DATABASE_URL: databaseUrl(backend),
      GARDENER_KUBECONFIG: landscape.gardenerKubeconfigPath!,
      LOG_LEVEL: 'silent',
      PROVISIONING_WORKER_INTERVAL_MS: '50',
      PROVISIONING_SHOOT_POLL_INTERVAL_MS: '100',
    };
    try {
      const first = await startBroker(loadConfig(env));
      const osb1 = await osbClientFor(first);
      const id = uniqueId('e2e-restart');
      expect((await osb1.provision(id)).status).toBe(202);
      // Let the engine create the shoot, then stop while it waits for readiness.
      await new Promise((r) => setTimeout(r, 400));
      expect((await osb1.lastOperation(id)).body.state).toBe('in progress');
      await first.close();

      const second = await startBroker(loadConfig(env));
      try {
        const osb2 = await osbClientFor(second);
        const done = await osb2.waitForOperation(id);
        expect(done.body).toMatchObject({ state: 'succeeded' });
        const bound = await osb2.bind(id, 'survivor');
        expect(bound.status).toBe(201);
        kubeconfig = bound.body.credentials.kubeconfig;
      } finally {
        await second.close();
      }

      // Bindings are stored encrypted with the key in DATA_DIR: a restarted broker still reads them.
      const third = await startBroker(loadConfig(env));
      try {
        const osb3 = await osbClientFor(third);
        const fetched = await osb3.getBinding(id, 'survivor');
        expect(fetched.status).toBe(200);
        expect(fetched.body.credentials.kubeconfig).toBe(kubeconfig);
      } finally {
        await third.close();
      }
    } finally {
      await landscape.stop();
    }
  });
});
