import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunningBroker } from '../../src/bootstrap';
import { Landscape } from '../../src/simulator';
import { freePort } from '../support/broker';
import { databaseUrl } from '../support/databases';
import { bindingRows, startBrokerOn, startTestLandscape } from '../support/landscape';
import { osbClientFor, uniqueId } from '../support/osb-client';

const MAIN = join(__dirname, '../../dist/main.js');

async function until<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) {
      return value;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('graceful shutdown', () => {
  let landscape: Landscape;
  beforeAll(async () => {
    landscape = await startTestLandscape();
  });
  afterAll(async () => {
    await landscape.stop();
  });

  it('lets an in-flight bind finish while stopping, then refuses new connections', async () => {
    const broker: RunningBroker = await startBrokerOn(landscape, { backend: 'postgres' });
    let closed = false;
    try {
      const osb = await osbClientFor(broker);
      const iid = uniqueId('e2e-stop');
      expect((await osb.provision(iid)).status).toBe(202);
      expect((await osb.waitForOperation(iid)).body.state).toBe('succeeded');
      // Every runtime API call now takes 700 ms, so the bind is surely running when the stop begins.
      landscape.faults.setFaults({ target: 'runtime', latencyMs: 700 });
      const bind = osb.bind(iid, 'in-flight');
      await until(async () => ((await bindingRows('postgres', iid)).length > 0 ? true : undefined), 'the binding row');
      const stopping = broker.close().then(() => (closed = true));
      const answer = await bind;
      expect(answer.status).toBe(201);
      expect(answer.body.credentials.kubeconfig).toContain('kind: Config');
      await stopping;
      await expect(fetch(`${broker.url}/healthz`)).rejects.toThrow();
    } finally {
      landscape.faults.clear();
      if (!closed) {
        await broker.close();
      }
    }
  });

  it('exits with status 0 on SIGTERM (the compiled broker, as deployed)', async () => {
    if (!existsSync(MAIN)) {
      throw new Error(`${MAIN} is missing: run \`npm run build\` first (npm test does it in its pretest step)`);
    }
    const port = await freePort();
    const child = spawn(process.execPath, [MAIN], {
      env: {
        ...process.env,
        BROKER_PROFILE: 'local',
        PORT: String(port),
        HOST: '127.0.0.1',
        DATA_DIR: mkdtempSync(join(tmpdir(), 'kbt-sigterm-')),
        DATABASE_URL: databaseUrl('postgres'),
        GARDENER_KUBECONFIG: landscape.gardenerKubeconfigPath!,
        LOG_LEVEL: 'silent',
      },
      stdio: 'ignore',
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      await until(async () => ((await fetch(`http://127.0.0.1:${port}/readyz`)).ok ? true : undefined), '/readyz');
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
