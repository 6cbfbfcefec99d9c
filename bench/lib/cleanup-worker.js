'use strict';
// Child process of bench/scale.js: the expiry cleanup, measured in a process of its own so that its peak
// memory is the broker's and not the bench's. It runs the real app in-process (local profile, PostgreSQL,
// the in-process landscape simulator, the scheduled job switched off) and calls ExpiredBindingsCleanup.run().
//
//  1. revocation sample: K runtimes provisioned and bound through the OSB API (10 bindings each, real
//     ServiceAccounts/RBAC on the simulated runtimes), then made expired; run() revokes and deletes them;
//  2. bulk: N expired bindings seeded with SQL on deprovisioned runtimes (nothing to revoke: rows go);
//     run() is timed and process memory sampled every 20 ms.
// argv: databaseUrl revokeInstances bulkBindings. Result goes to the parent over IPC.

require('reflect-metadata');
const { mkdtempSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const path = require('node:path');
const { Client } = require('pg');
const { DIST, freePort, nowMs } = require('./common');
const { startBroker } = require(path.join(DIST, 'bootstrap'));
const { loadConfig } = require(path.join(DIST, 'config', 'load-config'));
const { ExpiredBindingsCleanup } = require(path.join(DIST, 'cleanup', 'expired-bindings-cleanup'));
const { devToken, osbHeaders, provisionAndWait, SERVICE_ID, AWS_PLAN_ID } = require('./broker');
const { closedLoop, request } = require('./load');
const { seedExpiredBindings } = require('./scale-seed');

async function measured(cleanup) {
  global.gc?.(); // started with --expose-gc by bench/scale.js: the heap before and after is what is live
  const before = { ...process.memoryUsage(), maxRSS: process.resourceUsage().maxRSS * 1024 };
  let peakRss = before.rss;
  let peakHeap = before.heapUsed;
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  }, 20);
  const t0 = nowMs();
  const report = await cleanup.run();
  const seconds = (nowMs() - t0) / 1000;
  clearInterval(sampler);
  const after = process.memoryUsage();
  peakRss = Math.max(peakRss, after.rss);
  peakHeap = Math.max(peakHeap, after.heapUsed);
  global.gc?.();
  const heapAfterGc = global.gc ? process.memoryUsage().heapUsed : NaN;
  return {
    report,
    seconds,
    rowsPerSecond: report.removed / seconds,
    rssBefore: before.rss,
    heapBefore: before.heapUsed,
    peakRss,
    peakHeap,
    heapAfterGc,
    maxRssBefore: before.maxRSS,
    maxRssAfter: process.resourceUsage().maxRSS * 1024,
  };
}

async function main() {
  const [databaseUrl, revokeInstancesArg, bulkArg] = process.argv.slice(2);
  const revokeInstances = Number(revokeInstancesArg);
  const bulk = Number(bulkArg);
  const dataDir = mkdtempSync(path.join(tmpdir(), 'kbt-bench-cleanup-'));
  const config = loadConfig({
    BROKER_PROFILE: 'local',
    HOST: '127.0.0.1',
    PORT: String(await freePort()),
    DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: 'silent',
    CLEANUP_ENABLED: 'false',
    SIMULATOR_SHOOT_CREATE_DELAY_MS: '0',
    SIMULATOR_SHOOT_DELETE_DELAY_MS: '0',
    PROVISIONING_WORKER_INTERVAL_MS: '50',
    PROVISIONING_SHOOT_POLL_INTERVAL_MS: '50',
  });
  const broker = await startBroker(config, { logger: false });
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const cleanup = broker.app.get(ExpiredBindingsCleanup);
    const token = await devToken(broker.url);
    const headers = osbHeaders(token);

    // 1. revocation sample
    const instances = Array.from({ length: revokeInstances }, (_, i) => `bench-clean-${i}`);
    await provisionAndWait(broker.url, token, instances);
    const body = JSON.stringify({ service_id: SERVICE_ID, plan_id: AWS_PLAN_ID });
    const binds = await closedLoop({
      count: revokeInstances * 10,
      concurrency: 10,
      okStatuses: [201],
      fn: async (i) =>
        (
          await request(
            `${broker.url}/oauth/v2/service_instances/${instances[i % revokeInstances]}/service_bindings/rb-${i}?accepts_incomplete=false`,
            { method: 'PUT', headers, body },
          )
        ).status,
    });
    if (binds.errors > 0) {
      throw new Error(`binds for the revocation sample failed: ${JSON.stringify(binds.statuses)}`);
    }
    const { rows } = await db.query(
      `UPDATE bindings SET expires_at = now() - interval '1 minute' WHERE instance_id LIKE 'bench-clean-%'
       RETURNING length(kubeconfig_ciphertext) AS len`,
    );
    const ciphertextLength = Math.round(rows.reduce((a, r) => a + r.len, 0) / rows.length);
    const revocation = await measured(cleanup);

    // 2. bulk on deprovisioned runtimes
    const seed = await seedExpiredBindings(db, bulk, ciphertextLength);
    const bulkRun = await measured(cleanup);
    const { rows: left } = await db.query('SELECT count(*)::int AS n FROM bindings WHERE expires_at <= now()');
    process.send({ ok: true, ciphertextLength, revocation, bulk: { ...bulkRun, seeded: bulk, ...seed, left: left[0].n } });
  } finally {
    await db.end();
    await broker.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main()
  .then(() => process.exit(0))
  .catch((err) => {
    process.send?.({ ok: false, error: err && err.stack ? err.stack : String(err) });
    process.exit(1);
  });
