import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { SystemClock } from '../../../src/common/clock';
import { InstanceEvents } from '../../../src/common/instance-events';
import { AppConfig } from '../../../src/config/app-config';
import { loadConfig } from '../../../src/config/load-config';
import { MetricsRegistry } from '../../../src/metrics/metrics.registry';
import { dataSourceOptions } from '../../../src/persistence/data-source-options';
import { InstanceEntity } from '../../../src/persistence/instance.entity';
import { InstanceRepository } from '../../../src/provisioning/instance.repository';
import { OperationRepository } from '../../../src/provisioning/operation.repository';
import { ProvisioningEngine } from '../../../src/provisioning/provisioning-engine';
import { ProvisioningMetrics } from '../../../src/provisioning/provisioning.metrics';
import { RuntimeProvisioner, RuntimeStatus } from '../../../src/provisioning/runtime-provisioner.port';
import { Workflows } from '../../../src/provisioning/workflows';
import { BACKENDS, databaseUrl } from '../../support/databases';
import { anInstance, anOperation } from '../../factories/operations';

/** Records how often and how concurrently each runtime's steps run; readiness after a few polls. */
class RecordingProvisioner implements RuntimeProvisioner {
  readonly creates = new Map<string, number>();
  readonly running = new Map<string, number>();
  maxConcurrentPerInstance = 0;
  failCreatesLeft = 0;
  pollsUntilReady = 2;
  private readonly polls = new Map<string, number>();

  private async track<T>(instance: InstanceEntity, fn: () => Promise<T>): Promise<T> {
    const n = (this.running.get(instance.instanceId) ?? 0) + 1;
    this.running.set(instance.instanceId, n);
    this.maxConcurrentPerInstance = Math.max(this.maxConcurrentPerInstance, n);
    try {
      await new Promise((r) => setTimeout(r, 15));
      return await fn();
    } finally {
      this.running.set(instance.instanceId, (this.running.get(instance.instanceId) ?? 1) - 1);
    }
  }

  createRuntime(instance: InstanceEntity): Promise<void> {
    return this.track(instance, async () => {
      if (this.failCreatesLeft > 0) {
        this.failCreatesLeft--;
        throw new Error('landscape answered 503');
      }
      this.creates.set(instance.instanceId, (this.creates.get(instance.instanceId) ?? 0) + 1);
    });
  }
  runtimeStatus(instance: InstanceEntity): Promise<RuntimeStatus> {
    return this.track(instance, async () => {
      const n = (this.polls.get(instance.instanceId) ?? 0) + 1;
      this.polls.set(instance.instanceId, n);
      return n >= this.pollsUntilReady
        ? { state: 'succeeded', description: 'ready', apiServerUrl: 'https://127.0.0.1:1' }
        : { state: 'processing', description: 'Create Processing' };
    });
  }
  configureRuntime(instance: InstanceEntity): Promise<void> {
    return this.track(instance, async () => undefined);
  }
  updateRuntime(): Promise<void> {
    return Promise.resolve();
  }
  deleteRuntime(): Promise<void> {
    return Promise.resolve();
  }
}

function engineConfig(): AppConfig {
  const config = loadConfig({ DATA_DIR: mkdtempSync(join(tmpdir(), 'kbt-engine-')), LOG_LEVEL: 'silent' });
  config.provisioning = {
    workerIntervalMs: 20,
    leaseMs: 30000,
    stepRetryBaseMs: 10,
    stepRetryMaxMs: 50,
    maxStepAttempts: 4,
    operationTimeoutMs: 60000,
    shootPollIntervalMs: 10,
  };
  return config;
}

function makeEngine(ds: DataSource, provisioner: RuntimeProvisioner, config: AppConfig): ProvisioningEngine {
  const clock = new SystemClock();
  const instances = new InstanceRepository(ds);
  const operations = new OperationRepository(ds);
  const workflows = new Workflows(provisioner, instances, new InstanceEvents(), clock, config);
  return new ProvisioningEngine(
    operations,
    instances,
    workflows,
    clock,
    new ProvisioningMetrics(new MetricsRegistry()),
    config,
  );
}

async function waitFor(check: () => Promise<boolean>, timeoutMs = 15000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) {
      return;
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('condition not met in time');
}

describe.each(BACKENDS)('provisioning engine (%s)', (backend) => {
  let ds: DataSource;
  let operations: OperationRepository;
  let instances: InstanceRepository;

  beforeAll(async () => {
    ds = new DataSource({ ...dataSourceOptions(databaseUrl(backend), 6), migrationsRun: false });
    await ds.initialize();
    operations = new OperationRepository(ds);
    instances = new InstanceRepository(ds);
  });
  afterAll(async () => {
    await ds.destroy();
  });

  async function seed(n: number, overrides = {}): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      const instance = anInstance();
      const op = anOperation(instance.instanceId, 'provision', overrides);
      await instances.insertWithOperation(instance, op);
      ids.push(op.id);
    }
    return ids;
  }

  const allFinished = (ids: string[]) => async () =>
    (await Promise.all(ids.map((id) => operations.find(id)))).every(
      (op) => op?.state === 'succeeded' || op?.state === 'failed',
    );

  it('two replicas on one database run every step exactly once, never concurrently', async () => {
    const provisioner = new RecordingProvisioner();
    const config = engineConfig();
    const a = makeEngine(ds, provisioner, config);
    const b = makeEngine(ds, provisioner, config);
    const ids = await seed(12);
    a.start();
    b.start();
    try {
      await waitFor(allFinished(ids));
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
    const ops = await Promise.all(ids.map((id) => operations.find(id)));
    expect(ops.map((op) => op?.state)).toEqual(ids.map(() => 'succeeded'));
    for (const op of ops) {
      expect(provisioner.creates.get(op!.instanceId)).toBe(1);
      expect(op!.leaseOwner).toBeNull();
    }
    expect(provisioner.maxConcurrentPerInstance).toBe(1);
    const instance = await instances.find(ops[0]!.instanceId);
    expect(instance?.apiServerUrl).toBe('https://127.0.0.1:1');
  });

  it('takes over an operation whose owner died once its lease expires', async () => {
    const provisioner = new RecordingProvisioner();
    const [id] = await seed(1);
    // A replica claims the operation and dies without releasing it.
    const now = new Date();
    const claimed = await operations.claimNext('dead-replica', now, new Date(now.getTime() + 300), []);
    expect(claimed?.id).toBeDefined();
    const engine = makeEngine(ds, provisioner, engineConfig());
    engine.start();
    try {
      await waitFor(allFinished([id]));
    } finally {
      await engine.stop();
    }
    expect((await operations.find(id))?.state).toBe('succeeded');
  });

  it('resumes from the persisted step after a restart (no second create)', async () => {
    const provisioner = new RecordingProvisioner();
    const [id] = await seed(1, { state: 'in progress', step: 'wait_runtime_ready' });
    const engine = makeEngine(ds, provisioner, engineConfig());
    engine.start();
    try {
      await waitFor(allFinished([id]));
    } finally {
      await engine.stop();
    }
    const op = await operations.find(id);
    expect(op?.state).toBe('succeeded');
    expect(provisioner.creates.get(op!.instanceId)).toBeUndefined();
  });

  it('retries a failing step with backoff, then succeeds', async () => {
    const provisioner = new RecordingProvisioner();
    provisioner.failCreatesLeft = 2;
    const [id] = await seed(1);
    const engine = makeEngine(ds, provisioner, engineConfig());
    engine.start();
    try {
      await waitFor(allFinished([id]));
    } finally {
      await engine.stop();
    }
    expect((await operations.find(id))?.state).toBe('succeeded');
  });

  it('fails the operation after the last attempt, naming the step', async () => {
    const provisioner = new RecordingProvisioner();
    provisioner.failCreatesLeft = 100;
    const [id] = await seed(1);
    const engine = makeEngine(ds, provisioner, engineConfig());
    engine.start();
    try {
      await waitFor(allFinished([id]));
    } finally {
      await engine.stop();
    }
    const op = await operations.find(id);
    expect(op?.state).toBe('failed');
    expect(op?.description).toBe('step create_runtime failed after 4 attempts: landscape answered 503');
  });

  it('fails an operation that outlived its timeout', async () => {
    const provisioner = new RecordingProvisioner();
    const config = engineConfig();
    config.provisioning.operationTimeoutMs = 1000;
    const [id] = await seed(1, { createdAt: new Date(Date.now() - 5000) });
    const engine = makeEngine(ds, provisioner, config);
    engine.start();
    try {
      await waitFor(allFinished([id]));
    } finally {
      await engine.stop();
    }
    const op = await operations.find(id);
    expect(op?.state).toBe('failed');
    expect(op?.description).toMatch(/timed out/);
  });
});
