import { mkdtempSync } from 'node:fs';
import { AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunningBroker, startBroker } from '../../src/bootstrap';
import { AppConfig } from '../../src/config/app-config';
import { Clock } from '../../src/common/clock';
import { loadConfig } from '../../src/config/load-config';
import { Backend, databaseUrl } from './databases';

export interface TestBrokerOptions {
  backend?: Backend;
  /** Extra environment variables, as an operator would set them. */
  env?: Record<string, string>;
  /** Last-moment changes to the loaded config (e.g. shorter intervals). */
  mutate?: (config: AppConfig) => void;
  clock?: Clock;
}

/** The real app on a random loopback port, local profile, against one of the prepared test databases. */
export async function startTestBroker(opts: TestBrokerOptions = {}): Promise<RunningBroker> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kbt-broker-'));
  // A concrete port (not 0): the dev issuer's URLs, which runtimes fetch keys from, are derived from it.
  const config = loadConfig({
    BROKER_PROFILE: 'local',
    PORT: String(await freePort()),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl(opts.backend ?? 'postgres'),
    LOG_LEVEL: 'silent',
    SIMULATOR_SHOOT_CREATE_DELAY_MS: '0',
    SIMULATOR_SHOOT_DELETE_DELAY_MS: '0',
    PROVISIONING_WORKER_INTERVAL_MS: '50',
    PROVISIONING_SHOOT_POLL_INTERVAL_MS: '50',
    PROVISIONING_RETRY_BASE_MS: '50',
    ...opts.env,
  });
  opts.mutate?.(config);
  return startBroker(config, { clock: opts.clock });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** A client_credentials token from the local dev issuer (basic client auth, as UAA). */
export async function devToken(
  baseUrl: string,
  clientId = 'local-client',
  clientSecret = 'local-secret',
): Promise<string> {
  const res = await fetch(`${baseUrl}/uaa/oauth/token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: 'grant_type=client_credentials',
  });
  if (res.status !== 200) {
    throw new Error(`dev issuer answered ${res.status}: ${await res.text()}`);
  }
  return ((await res.json()) as { access_token: string }).access_token;
}
