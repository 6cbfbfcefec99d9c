'use strict';
// Bench 1 — OSB hot path: GET /oauth/v2/catalog and GET .../last_operation with a valid JWT, under
// autocannon at a fixed number of connections, against a bare node:http server answering the same JSON
// in the same run. Broker: `node dist/main.js`, local profile, PostgreSQL (a fresh database), the landscape
// simulator in its own process.

const { QUICK, q, fmt, ratio, table, mib, procMemory, main, log } = require('./lib/common');
const { createBenchDatabase, postgresProblem, dropAll } = require('./lib/db');
const { startBroker, startLandscapeProcess, startBareServer, devToken, osbHeaders, provisionAndWait } = require('./lib/broker');
const { cannon, request } = require('./lib/load');

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const DURATION = q(3, 10);
const WARMUP = q(1, 2);

async function run() {
  const problem = await postgresProblem();
  if (problem) {
    throw new Error(problem);
  }
  const db = await createBenchDatabase('hot');
  let landscape;
  let broker;
  let bare;
  try {
    landscape = await startLandscapeProcess();
    broker = await startBroker({ databaseUrl: db.url, gardenerKubeconfig: landscape.kubeconfigPath });
    const token = await devToken(broker.url);
    const headers = osbHeaders(token);
    const instanceId = 'bench-hot-1';
    await provisionAndWait(broker.url, token, [instanceId]);

    const routes = {
      catalog: '/oauth/v2/catalog',
      last_operation: `/oauth/v2/service_instances/${instanceId}/last_operation`,
    };
    const captured = {};
    for (const [name, path] of Object.entries(routes)) {
      const res = await request(`${broker.url}${path}`, { headers });
      if (res.status !== 200) {
        throw new Error(`${path} answered ${res.status}: ${res.body.slice(0, 300)}`);
      }
      captured[path] = { status: res.status, body: res.body };
      log(`${name}: ${res.body.length} bytes`);
    }
    bare = await startBareServer(captured);

    const results = [];
    for (const [name, path] of Object.entries(routes)) {
      for (const [server, base] of [
        ['node:http (baseline)', bare.url],
        ['kyma-broker-ts', broker.url],
      ]) {
        log(`autocannon ${server} ${name}: ${CONNECTIONS} connections, ${DURATION} s`);
        const r = await cannon({ url: `${base}${path}`, headers, connections: CONNECTIONS, duration: DURATION, warmup: WARMUP });
        results.push({ route: name, server, bytes: captured[path].body.length, ...r });
      }
    }
    const memory = procMemory(broker.pid);

    const rows = results.map((r) => {
      const baseline = results.find((b) => b.route === r.route && b.server.startsWith('node:http'));
      const isBaseline = r === baseline;
      return [
        `GET ${r.route}`,
        r.server,
        fmt(r.rps, 0),
        fmt(r.p50, 0),
        fmt(r.p99, 0),
        `${r.non2xx}/${r.errors}`,
        isBaseline ? '1×' : ratio(r.rps, baseline.rps),
        isBaseline ? '1×' : ratio(r.p99, baseline.p99, 1),
      ];
    });
    const markdown = [
      `### 1. OSB hot path (autocannon, ${CONNECTIONS} connections, ${DURATION} s per row after ${WARMUP} s warm-up)`,
      '',
      'Broker: `node dist/main.js`, local profile, PostgreSQL, bearer JWT from the dev issuer, `X-Broker-API-Version: 2.17`. ' +
        'Baseline: a bare `node:http` server in its own process answering the same bytes (no auth, no database). ' +
        'Latencies in ms (autocannon resolution: 1 ms).',
      '',
      table(
        ['route', 'server', 'req/s', 'p50 ms', 'p99 ms', 'non-2xx/errors', 'req/s vs baseline', 'p99 vs baseline'],
        rows,
      ),
      '',
      `Broker RSS after the runs: ${memory ? `${fmt(mib(memory.rss), 0)} MiB (peak ${fmt(mib(memory.hwm), 0)} MiB)` : 'n/a'}.`,
    ].join('\n');
    return { markdown, results: { connections: CONNECTIONS, duration: DURATION, runs: results, memory, quick: QUICK } };
  } finally {
    await bare?.stop();
    await broker?.stop();
    await landscape?.stop();
    await dropAll();
  }
}

module.exports = { name: 'hot-path', run };
if (require.main === module) {
  main(module.exports);
}
