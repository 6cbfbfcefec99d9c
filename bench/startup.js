'use strict';
// Bench 5 — start-up and memory: `node dist/main.js` (local profile, as `npm start` runs it, with
// LOG_LEVEL=silent) from spawn to the first 200 of /readyz, resident memory at idle and under load
// (autocannon on catalog + last_operation), and the graceful stop (SIGTERM to exit). Both databases:
// PostgreSQL (a fresh database: the first start runs the migrations) and the embedded one (PGlite; the
// first start initialises DATA_DIR).

const { mkdtempSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const path = require('node:path');
const { QUICK, q, fmt, mib, table, procMemory, sleep, nowMs, main, log } = require('./lib/common');
const { createBenchDatabase, postgresProblem, dropAll } = require('./lib/db');
const { startBroker, devToken, osbHeaders, provisionAndWait } = require('./lib/broker');
const { cannon } = require('./lib/load');

const STARTS = q(2, 3); // per database: the first is cold (migrations / initdb), the others warm
const IDLE_MS = q(1000, 3000);
const LOAD_SECONDS = q(4, 10);
const CONNECTIONS = 10;

async function oneStart({ database, databaseUrl, dataDir, index, withLoad }) {
  const broker = await startBroker({
    databaseUrl,
    dataDir,
    env: { SIMULATOR_SHOOT_CREATE_DELAY_MS: '0', SIMULATOR_SHOOT_DELETE_DELAY_MS: '0' },
  });
  const row = { database, start: index === 0 ? 'cold' : 'warm', readyMs: broker.startupMs };
  try {
    await sleep(IDLE_MS);
    row.idle = procMemory(broker.pid);
    if (withLoad) {
      const token = await devToken(broker.url);
      const headers = osbHeaders(token);
      const instance = `bench-startup-${index}`;
      await provisionAndWait(broker.url, token, [instance]);
      let peak = 0;
      const sampler = setInterval(() => {
        const m = procMemory(broker.pid);
        peak = Math.max(peak, m?.rss ?? 0);
      }, 100);
      const r = await cannon({
        url: broker.url,
        headers,
        connections: CONNECTIONS,
        duration: LOAD_SECONDS,
        warmup: 0,
        requests: [{ path: '/oauth/v2/catalog' }, { path: `/oauth/v2/service_instances/${instance}/last_operation` }],
      });
      clearInterval(sampler);
      row.load = { rps: r.rps, p99: r.p99, non2xx: r.non2xx, errors: r.errors, peakRss: peak };
      row.afterLoad = procMemory(broker.pid);
    }
  } finally {
    const t0 = nowMs();
    await broker.stop();
    row.stopMs = nowMs() - t0;
  }
  log(`${database} ${row.start}: ready in ${fmt(row.readyMs, 0)} ms, idle RSS ${fmt(mib(row.idle?.rss ?? NaN), 0)} MiB`);
  return row;
}

async function run() {
  const rows = [];
  const problem = await postgresProblem();
  if (problem) {
    log(`PostgreSQL rows skipped: ${problem}`);
  } else {
    const db = await createBenchDatabase('startup');
    try {
      for (let i = 0; i < STARTS; i++) {
        rows.push(await oneStart({ database: 'PostgreSQL', databaseUrl: db.url, index: i, withLoad: i === STARTS - 1 }));
      }
    } finally {
      await dropAll();
    }
  }
  const dataDir = mkdtempSync(path.join(tmpdir(), 'kbt-bench-embedded-'));
  try {
    for (let i = 0; i < STARTS; i++) {
      rows.push(await oneStart({ database: 'embedded (PGlite)', dataDir, index: i, withLoad: i === STARTS - 1 }));
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }

  const m = (v) => (v === undefined ? '—' : fmt(mib(v), 0));
  const markdown = [
    '### 5. Start-up and resident memory',
    '',
    '`node dist/main.js`, local profile (in-process landscape simulator and dev issuer), `LOG_LEVEL=silent`, a fresh `DATA_DIR`. ' +
      '"ready" is spawn → first 200 from `/readyz`; cold = first start on a fresh database (PostgreSQL: migrations; embedded: ' +
      `initdb of DATA_DIR), warm = the same database again. Idle RSS after ${IDLE_MS / 1000} s; under load: autocannon ` +
      `${CONNECTIONS} connections for ${LOAD_SECONDS} s alternating catalog and last_operation, RSS sampled every 100 ms. ` +
      '"stop" is SIGTERM → exit (graceful shutdown). Memory in MiB.',
    '',
    table(
      ['database', 'start', 'ready ms', 'idle RSS', 'load req/s', 'peak RSS under load', 'RSS after load', 'stop ms'],
      rows.map((r) => [
        r.database,
        r.start,
        fmt(r.readyMs, 0),
        m(r.idle?.rss),
        r.load ? `${fmt(r.load.rps, 0)}${r.load.non2xx + r.load.errors > 0 ? ` (${r.load.non2xx + r.load.errors} failed)` : ''}` : '—',
        m(r.load?.peakRss),
        m(r.afterLoad?.rss),
        fmt(r.stopMs, 0),
      ]),
    ),
  ].join('\n');
  return { markdown, results: { rows, quick: QUICK } };
}

module.exports = { name: 'startup', run };
if (require.main === module) {
  main(module.exports);
}
