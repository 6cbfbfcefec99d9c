import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { RunningBroker } from '../../src/bootstrap';
import { GardenerClient } from '../../src/gardener/gardener-client';
import { Landscape, LandscapeOptions, startLandscape } from '../../src/simulator';
import { startTestBroker, TestBrokerOptions } from './broker';
import { Backend, databaseUrl } from './databases';

/**
 * Reliability tests own the landscape simulator (instead of letting the broker start one), so they can
 * inject faults into it, look inside the runtimes it serves, and keep it running across broker restarts.
 */
export async function startTestLandscape(opts: LandscapeOptions = {}): Promise<Landscape> {
  return startLandscape({
    dataDir: mkdtempSync(join(tmpdir(), 'kbt-landscape-')),
    shootCreateDelayMs: 0,
    shootDeleteDelayMs: 0,
    ...opts,
  });
}

/** The in-process broker of startTestBroker, pointed at a landscape the test controls. */
export function startBrokerOn(
  landscape: Landscape,
  opts: TestBrokerOptions & { backend: Backend },
): Promise<RunningBroker> {
  return startTestBroker({
    ...opts,
    env: { GARDENER_KUBECONFIG: landscape.gardenerKubeconfigPath!, ...opts.env },
  });
}

/** One SQL query against a test database, on a connection of its own. */
export async function sql<T = Record<string, unknown>>(
  backendOrUrl: Backend | string,
  text: string,
  values: unknown[] = [],
): Promise<T[]> {
  const url = backendOrUrl === 'postgres' || backendOrUrl === 'embedded' ? databaseUrl(backendOrUrl) : backendOrUrl;
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return (await client.query(text, values)).rows as T[];
  } finally {
    await client.end();
  }
}

export async function shootNameOf(backend: Backend | string, instanceId: string): Promise<string> {
  const rows = await sql<{ shoot_name: string }>(backend, 'SELECT shoot_name FROM instances WHERE instance_id = $1', [
    instanceId,
  ]);
  if (rows.length !== 1) {
    throw new Error(`instance ${instanceId} has no row`);
  }
  return rows[0].shoot_name;
}

export interface BindingRow {
  binding_id: string;
  state: string;
  expires_at: Date;
}

export function bindingRows(backend: Backend | string, instanceId: string): Promise<BindingRow[]> {
  return sql<BindingRow>(
    backend,
    'SELECT binding_id, state, expires_at FROM bindings WHERE instance_id = $1 ORDER BY binding_id',
    [instanceId],
  );
}

/**
 * What a runtime holds for bindings, seen as its administrator sees it: kubectl with a Gardener admin
 * kubeconfig, listing the ServiceAccounts, ClusterRoles and ClusterRoleBindings named kyma-binding-*.
 */
export class RuntimeInspector {
  private readonly gardener: GardenerClient;

  constructor(
    landscape: Landscape,
    private readonly project = 'kyma-dev',
  ) {
    this.gardener = new GardenerClient(landscape.gardenerKubeconfig);
  }

  async adminKubeconfig(shootName: string): Promise<string> {
    const admin = await this.gardener.adminKubeconfig(`garden-${this.project}`, shootName, 3600);
    return admin.kubeconfig;
  }

  /** Binding ids that have any of the three objects on the runtime, each with the kinds found. */
  async bindingObjects(shootName: string): Promise<Map<string, string[]>> {
    const kubeconfig = await this.adminKubeconfig(shootName);
    const out = await runKubectl(kubeconfig, [
      'get',
      'serviceaccounts,clusterroles,clusterrolebindings',
      '--all-namespaces',
      '-o',
      'name',
    ]);
    const found = new Map<string, string[]>();
    for (const line of out.split('\n')) {
      const m = /^([a-z0-9.]+)\/kyma-binding-(.+)$/.exec(line.trim());
      if (m) {
        const kind = m[1].split('.')[0];
        found.set(m[2], [...(found.get(m[2]) ?? []), kind]);
      }
    }
    return found;
  }
}

function runKubectl(kubeconfig: string, args: string[]): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'kbt-admin-'));
  const file = join(dir, 'kubeconfig.yaml');
  writeFileSync(file, kubeconfig, { mode: 0o600 });
  return new Promise((resolve, reject) => {
    execFile(
      'kubectl',
      ['--kubeconfig', file, '--cache-dir', join(dir, 'cache'), '--request-timeout', '10s', ...args],
      { timeout: 20000 },
      (err, stdout, stderr) =>
        err ? reject(new Error(`kubectl ${args.join(' ')}: ${stderr || err.message}`)) : resolve(stdout),
    );
  });
}

/**
 * Waits until `check` stops throwing (or returns true), then returns its value; after the deadline the
 * last failure is thrown. For state that settles asynchronously: no assertion on how long it took.
 */
export async function eventually<T>(check: () => Promise<T>, what: string, timeoutMs = 15000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== false) {
        return value;
      }
      lastError = new Error(`${what}: not yet`);
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      throw new Error(`${what} did not happen within ${timeoutMs} ms: ${(lastError as Error)?.message ?? lastError}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
