'use strict';
// Bench 4 — scale: GET /info/runtimes latency with 10,000 and 100,000 runtimes in PostgreSQL (filters and
// paging), and the expiry cleanup of 100,000 expired bindings (rows/s, peak memory).
// A fresh database kbt_bench_scale_* is created, migrated with the broker's own migrations (openDatabase),
// seeded with SQL (generate_series) and dropped at the end.

const { mkdtempSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const path = require('node:path');
const { Client } = require('pg');
const { DIST, QUICK, q, fmt, mib, ratio, table, spawnChild, main, log, nowMs } = require('./lib/common');
const { createBenchDatabase, postgresProblem, dropAll } = require('./lib/db');
const { startBroker, devToken, requireBuild } = require('./lib/broker');
const { closedLoop, request } = require('./lib/load');
const { seedRuntimes } = require('./lib/scale-seed');

const SIZES = q([2_000, 10_000], [10_000, 100_000]);
const SAMPLES = q(30, 100);
const BULK_BINDINGS = q(10_000, 100_000);
const REVOKE_INSTANCES = q(3, 10);

/**
 * The listing queries measured at each size: name, and the query string as a function of the table size.
 * A query string may name `{cursor of page N}` (page_size=100): that page's nextCursor, fetched once beforehand.
 */
function queries(size) {
  // The simulator's seeded generator, so that every run asks for the same accounts and instances.
  const r = require(path.join(DIST, 'simulator', 'faults')).seededRandom(42);
  const pick = (n) => Math.floor(r() * n);
  const middle = Math.floor(size / 200);
  const last = Math.ceil((size * 0.9) / 100);
  return [
    ['page 1, page_size=10', () => 'page_size=10'],
    ['page 1, page_size=100 (default)', () => ''],
    ['middle page (offset size/2), page_size=100', () => `page=${middle}&page_size=100`],
    ['last page, page_size=100', () => `page=${last}&page_size=100`],
    ['middle page by cursor, page_size=100', () => `cursor={cursor of page ${middle - 1}}&page_size=100`],
    ['last page by cursor, page_size=100', () => `cursor={cursor of page ${last - 1}}&page_size=100`],
    ['account=<one> (10 runtimes)', () => `account=ga-${pick(size / 10)}`],
    ['instance_id=<one>', () => `instance_id=inst-${String(pick(size)).padStart(7, '0')}`],
    ['plan=azure&region=westeurope, page_size=100', () => 'plan=azure&region=westeurope&page_size=100'],
    ['plan=free (no runtimes)', () => 'plan=free'],
    ['state=failed, page_size=100', () => 'state=failed&page_size=100'],
    ['state=all, page_size=100', () => 'state=all&page_size=100'],
  ];
}

async function withCursors(url, headers, qs) {
  const cursors = [];
  for (const [, page] of qs.matchAll(/\{cursor of page (\d+)\}/g)) {
    const res = await request(`${url}/info/runtimes?page=${page}&page_size=100`, { headers });
    const cursor = res.status === 200 ? JSON.parse(res.body).nextCursor : undefined;
    if (!cursor) {
      throw new Error(`page ${page} handed out no cursor (status ${res.status})`);
    }
    cursors.push(cursor);
  }
  return qs.replace(/\{cursor of page \d+\}/g, () => cursors.shift());
}

async function measureListing(url, token, size) {
  const headers = { authorization: `Bearer ${token}` };
  const results = [];
  for (const [name, makeQs] of queries(size)) {
    const qs = await withCursors(url, headers, makeQs());
    let lastBody;
    const get = async () => {
      const res = await request(`${url}/info/runtimes?${qs}`, { headers });
      lastBody = res.body;
      return res.status;
    };
    await closedLoop({ count: 5, concurrency: 1, fn: get, okStatuses: [200] }); // warm-up
    const r = await closedLoop({ count: SAMPLES, concurrency: 1, fn: get, okStatuses: [200] });
    let page;
    try {
      const body = JSON.parse(lastBody);
      page = { count: body.count, totalCount: body.totalCount };
    } catch {
      page = { count: NaN, totalCount: NaN };
    }
    results.push({ name, size, ...page, ...r });
    log(
      `${size} runtimes, ${name}: p50 ${fmt(r.p50, 1)} ms, p99 ${fmt(r.p99, 1)} ms, ${page.count}/${page.totalCount}`,
    );
  }
  return results;
}

async function runCleanup(databaseUrl) {
  const proc = spawnChild(
    process.execPath,
    [
      '--expose-gc',
      path.join(__dirname, 'lib', 'cleanup-worker.js'),
      databaseUrl,
      String(REVOKE_INSTANCES),
      String(BULK_BINDINGS),
    ],
    { ipc: true },
  );
  let message;
  proc.child.on('message', (m) => (message = m));
  const timer = setTimeout(() => proc.stop(5000), 420_000);
  const { code } = await proc.exited;
  clearTimeout(timer);
  if (!message || !message.ok) {
    throw new Error(`cleanup worker failed (exit ${code}): ${message?.error ?? proc.output().stderr.slice(-3000)}`);
  }
  return message;
}

async function run() {
  requireBuild();
  const problem = await postgresProblem();
  if (problem) {
    throw new Error(problem);
  }
  const db = await createBenchDatabase('scale');
  const client = new Client({ connectionString: db.url });
  let broker;
  try {
    // The broker's own migrations, exactly as at start-up.
    const { openDatabase } = require(path.join(DIST, 'persistence', 'database'));
    const dataDir = mkdtempSync(path.join(tmpdir(), 'kbt-bench-migrate-'));
    const opened = await openDatabase({ url: db.url, dataDir, poolSize: 2 });
    await opened.close();
    rmSync(dataDir, { recursive: true, force: true });
    await client.connect();

    const listing = [];
    const seeding = [];
    let seeded = 0;
    for (const size of SIZES) {
      log(`seeding runtimes ${seeded + 1}..${size}`);
      const t0 = nowMs();
      await seedRuntimes(client, seeded + 1, size);
      seeding.push({ size, seconds: (nowMs() - t0) / 1000 });
      seeded = size;
      broker = await startBroker({ databaseUrl: db.url, env: { CLEANUP_ENABLED: 'false' } });
      const token = await devToken(broker.url);
      listing.push(...(await measureListing(broker.url, token, size)));
      await broker.stop();
      broker = undefined;
    }
    const { rows: dbSize } = await client.query('SELECT pg_database_size(current_database()) AS bytes');

    log(
      `cleanup: ${REVOKE_INSTANCES * 10} bindings with revocation, then ${BULK_BINDINGS} expired bindings on deprovisioned runtimes`,
    );
    const cleanup = await runCleanup(db.url);

    const [small, large] = SIZES;
    const listingRows = queries(small).map(([name]) => {
      const a = listing.find((r) => r.name === name && r.size === small);
      const b = listing.find((r) => r.name === name && r.size === large);
      return [
        name,
        `${a.count} / ${fmt(a.totalCount, 0)}`,
        fmt(a.p50, 1),
        fmt(a.p99, 1),
        `${b.count} / ${fmt(b.totalCount, 0)}`,
        fmt(b.p50, 1),
        fmt(b.p99, 1),
        ratio(b.p50, a.p50, 1),
        a.errors + b.errors,
      ];
    });
    const cleanupRows = [
      ['revocation sample (live runtimes)', cleanup.revocation],
      ['bulk (deprovisioned runtimes)', cleanup.bulk],
    ].map(([name, c]) => [
      name,
      fmt(c.report.found, 0),
      fmt(c.report.removed, 0),
      fmt(c.report.failed, 0),
      fmt(c.seconds, 1),
      fmt(c.rowsPerSecond, 0),
      fmt(mib(c.rssBefore), 0),
      fmt(mib(c.peakRss), 0),
      fmt(mib(c.peakHeap), 0),
      `${fmt(mib(c.heapBefore), 0)} → ${fmt(mib(c.heapAfterGc), 0)}`,
      `${fmt(mib(c.maxRssBefore), 0)} → ${fmt(mib(c.maxRssAfter), 0)}`,
    ]);
    const k = (n) => `${fmt(n / 1000, 0)}k`;
    const markdown = [
      `### 4. Scale: /info/runtimes with ${k(small)} and ${k(large)} runtimes, expiry cleanup of ${k(BULK_BINDINGS)} bindings`,
      '',
      `PostgreSQL, fresh database migrated by the broker, seeded with SQL (generate_series): per runtime one provisioning ` +
        'operation, a second one for 30 % (10 % deprovisioned, 10 % updated, 5 % failed updates), 5 % failed and 5 % in-progress ' +
        `provisionings, 10 runtimes per global account. ${SAMPLES} sequential requests per row (after 5 warm-up), ` +
        `latencies in ms. "page" is count / totalCount of the answer. Database size at ${k(large)}: ${fmt(mib(Number(dbSize[0].bytes)), 0)} MiB. ` +
        `Seeding took ${seeding.map((s) => `${fmt(s.seconds, 1)} s (to ${k(s.size)})`).join(', ')}.`,
      '',
      table(
        [
          'query',
          `page @${k(small)}`,
          'p50',
          'p99',
          `page @${k(large)}`,
          'p50',
          'p99',
          `p50 ${k(large)}/${k(small)}`,
          'errors',
        ],
        listingRows,
      ),
      '',
      `Expiry cleanup (\`ExpiredBindingsCleanup.run()\` in a process of its own: the app in-process, PostgreSQL, batch size 500, ` +
        `8 in parallel). Revocation sample: ${REVOKE_INSTANCES} runtimes × 10 bindings made through the OSB API, then expired ` +
        `(each deletes a ServiceAccount, ClusterRole and ClusterRoleBinding on the simulated runtime). Bulk: expired rows on ` +
        `deprovisioned runtimes (nothing to revoke), ciphertext of ${cleanup.ciphertextLength} characters as the broker stores. ` +
        `Memory in MiB: RSS before the run, peak RSS and heap sampled every 20 ms during it, the live heap (after a full GC) ` +
        "before and after it, and the process's maxRSS before → after.",
      '',
      table(
        [
          'run',
          'found',
          'removed',
          'failed',
          'seconds',
          'rows/s',
          'RSS before',
          'peak RSS',
          'peak heap',
          'live heap before → after',
          'maxRSS',
        ],
        cleanupRows,
      ),
      ...(cleanup.bulk.left > 0 ? ['', `**${cleanup.bulk.left} expired bindings were left after the bulk run.**`] : []),
    ].join('\n');
    return { markdown, results: { sizes: SIZES, samples: SAMPLES, seeding, listing, cleanup, quick: QUICK } };
  } finally {
    await broker?.stop();
    await client.end().catch(() => undefined);
    await dropAll();
  }
}

module.exports = { name: 'scale', run };
if (require.main === module) {
  main(module.exports);
}
