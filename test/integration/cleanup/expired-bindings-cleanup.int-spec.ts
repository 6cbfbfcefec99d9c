import { RunningBroker } from '../../../src/bootstrap';
import { ExpiredBindingsCleanup } from '../../../src/cleanup/expired-bindings-cleanup';
import { startTestBroker } from '../../support/broker';
import { BACKENDS } from '../../support/databases';
import { sql } from '../../support/landscape';
import { uniqueId } from '../../support/osb-client';

/**
 * The expiry cleanup on its own, with rows written straight into the database: bindings of instances that
 * no longer exist need no revocation, so this exercises paging, the dry run, the expiry guard, the lease
 * between replicas and the metrics.
 */
describe.each(BACKENDS)('expired bindings cleanup (%s)', (backend) => {
  let a: RunningBroker;
  let b: RunningBroker;
  const small = { CLEANUP_ENABLED: 'false', CLEANUP_BATCH_SIZE: '7' };
  beforeAll(async () => {
    [a, b] = await Promise.all([startTestBroker({ backend, env: small }), startTestBroker({ backend, env: small })]);
  });
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
  });

  async function insertBindings(instanceId: string, count: number, expiresAt: Date): Promise<void> {
    for (let i = 0; i < count; i++) {
      await sql(
        backend,
        `INSERT INTO bindings (instance_id, binding_id, binding_type, expiration_seconds, parameters_hash, created_at, expires_at, state)
         VALUES ($1, $2, 'token_request', 600, 'h', $3, $4, 'ready')`,
        [instanceId, `b-${i}`, new Date(expiresAt.getTime() - 600_000), expiresAt],
      );
    }
  }
  const countOf = async (instanceId: string) =>
    Number(
      (await sql<{ n: string }>(backend, 'SELECT count(*) AS n FROM bindings WHERE instance_id = $1', [instanceId]))[0]
        .n,
    );

  it('removes every expired binding in batches, keeps live ones, and a dry run removes nothing', async () => {
    const expired = uniqueId('cleanup-old');
    const live = uniqueId('cleanup-live');
    await insertBindings(expired, 17, new Date(Date.now() - 60_000));
    await insertBindings(live, 3, new Date(Date.now() + 3_600_000));

    a.config.cleanup.dryRun = true;
    const dry = await a.app.get(ExpiredBindingsCleanup).run();
    a.config.cleanup.dryRun = false;
    expect(dry).toMatchObject({ ran: true, dryRun: true, removed: 0 });
    expect(dry.found).toBeGreaterThanOrEqual(7);
    expect(await countOf(expired)).toBe(17);

    const report = await a.app.get(ExpiredBindingsCleanup).run();
    expect(report.ran).toBe(true);
    expect(report.removed).toBeGreaterThanOrEqual(17);
    expect(await countOf(expired)).toBe(0);
    expect(await countOf(live)).toBe(3);

    const metrics = await (await fetch(`${a.url}/metrics`)).text();
    const removedTotal = /kyma_broker_bindings_expired_removed_total (\d+)/.exec(metrics);
    expect(Number(removedTotal?.[1])).toBeGreaterThanOrEqual(17);
  });

  it('lets two replicas run at once (one lease) and removes everything', async () => {
    const expired = uniqueId('cleanup-two');
    await insertBindings(expired, 12, new Date(Date.now() - 60_000));
    const [ra, rb] = await Promise.all([
      a.app.get(ExpiredBindingsCleanup).run(),
      b.app.get(ExpiredBindingsCleanup).run(),
    ]);
    expect(ra.ran || rb.ran).toBe(true);
    expect(ra.removed + rb.removed).toBeGreaterThanOrEqual(12);
    expect(await countOf(expired)).toBe(0);
  });
});
