'use strict';
// Bench 3 — bind path: PUT service_bindings (accepts_incomplete=false, token_request strategy by default)
// with the landscape simulator adding a fixed delay to every Gardener and runtime API call (latency fault),
// 0 ms and 20 ms. Serial binds show how many simulator round trips a bind waits for in sequence
// (latency / delay); then N binds over 20 instances at concurrency 20 give throughput and p99.
// The simulator runs in its own process (as a remote Gardener would be elsewhere); PostgreSQL is a fresh database.

const { QUICK, q, fmt, table, main, log } = require('./lib/common');
const { createBenchDatabase, postgresProblem, dropAll } = require('./lib/db');
const { startBroker, startLandscapeProcess, devToken, osbHeaders, provisionAndWait, SERVICE_ID, AWS_PLAN_ID } = require('./lib/broker');
const { closedLoop, request } = require('./lib/load');

const DELAYS = (process.env.BENCH_BIND_DELAYS ?? '0,20').split(',').map(Number);
const INSTANCES = 20;
const CONCURRENCY = 20;
const BINDS = q(60, 200); // at most 10 non-expired bindings per instance: 200 over 20 instances is the limit
const SERIAL = q(10, 30);

async function run() {
  const problem = await postgresProblem();
  if (problem) {
    throw new Error(problem);
  }
  const db = await createBenchDatabase('bind');
  let landscape;
  let broker;
  try {
    landscape = await startLandscapeProcess({ shootCreateDelayMs: 0 });
    broker = await startBroker({ databaseUrl: db.url, gardenerKubeconfig: landscape.kubeconfigPath });
    const token = await devToken(broker.url);
    const headers = osbHeaders(token);
    const instances = Array.from({ length: INSTANCES }, (_, i) => `bench-bind-${i}`);
    log(`provisioning ${INSTANCES} instances`);
    await provisionAndWait(broker.url, token, instances);

    const bindingUrl = (instance, binding) => `${broker.url}/oauth/v2/service_instances/${instance}/service_bindings/${binding}`;
    const body = JSON.stringify({ service_id: SERVICE_ID, plan_id: AWS_PLAN_ID });
    let firstFailure;
    const bind = async (instance, binding) => {
      const res = await request(`${bindingUrl(instance, binding)}?accepts_incomplete=false`, { method: 'PUT', headers, body });
      if (res.status !== 201 && !firstFailure) {
        firstFailure = `${res.status} ${res.body.slice(0, 300)}`;
      }
      return res.status;
    };
    const unbind = async (instance, binding) => {
      const res = await request(`${bindingUrl(instance, binding)}?service_id=${SERVICE_ID}&plan_id=${AWS_PLAN_ID}`, { method: 'DELETE', headers });
      return res.status;
    };

    const rows = [];
    for (const delay of DELAYS) {
      await landscape.setFaults(delay > 0 ? { target: 'all', latencyMs: delay } : null);
      // Warm-up: one bind and unbind per instance, so that every runtime's cached admin access and
      // keep-alive connection exist before anything is timed (a first bind per runtime costs more).
      await closedLoop({ count: INSTANCES, concurrency: 5, fn: (i) => bind(instances[i], `warm-${delay}`) });
      await closedLoop({ count: INSTANCES, concurrency: 5, fn: (i) => unbind(instances[i], `warm-${delay}`) });

      const serialIds = Array.from({ length: SERIAL }, (_, i) => [instances[i % INSTANCES], `s-${delay}-${i}`]);
      log(`delay ${delay} ms: ${SERIAL} serial binds`);
      const serial = await closedLoop({ count: SERIAL, concurrency: 1, fn: (i) => bind(...serialIds[i]), okStatuses: [201] });
      rows.push({ delay, phase: 'bind, serial', count: SERIAL, concurrency: 1, ...serial });
      await closedLoop({ count: SERIAL, concurrency: CONCURRENCY, fn: (i) => unbind(...serialIds[i]) });

      const ids = Array.from({ length: BINDS }, (_, i) => [instances[i % INSTANCES], `c-${delay}-${i}`]);
      log(`delay ${delay} ms: ${BINDS} binds over ${INSTANCES} instances, concurrency ${CONCURRENCY}`);
      const concurrent = await closedLoop({ count: BINDS, concurrency: CONCURRENCY, fn: (i) => bind(...ids[i]), okStatuses: [201] });
      rows.push({ delay, phase: 'bind, concurrent', count: BINDS, concurrency: CONCURRENCY, ...concurrent });
      log(`delay ${delay} ms: ${BINDS} unbinds, concurrency ${CONCURRENCY}`);
      const unbinds = await closedLoop({ count: BINDS, concurrency: CONCURRENCY, fn: (i) => unbind(...ids[i]), okStatuses: [200] });
      rows.push({ delay, phase: 'unbind, concurrent', count: BINDS, concurrency: CONCURRENCY, ...unbinds });
    }
    await landscape.setFaults(null);

    const perDelay = (r) => (r.delay > 0 ? `${fmt(r.p50 / r.delay, 1)} / ${fmt(r.p99 / r.delay, 1)}` : '—');
    // Only meaningful without queueing: under concurrency the CPU, not the delay, sets the latency.
    const added = (r) => {
      const zero = rows.find((z) => z.delay === 0 && z.phase === r.phase);
      return r.delay > 0 && zero && r.concurrency === 1 ? fmt((r.p50 - zero.p50) / r.delay, 1) : '—';
    };
    const markdown = [
      `### 3. Bind path (simulator latency fault on every Gardener and runtime call)`,
      '',
      `PUT .../service_bindings/{id}?accepts_incomplete=false with {service_id, plan_id} (token_request strategy: ServiceAccount, ` +
        `ClusterRole, ClusterRoleBinding, TokenRequest), ${INSTANCES} instances, broker on PostgreSQL, simulator in its own process. ` +
        '"× delay" is latency divided by the injected delay; "round trips" (serial rows) is (p50 − p50 at 0 ms) / delay: how many ' +
        'delayed calls a bind waits for one after the other. Under concurrency 20 the two CPUs (broker, simulator, load ' +
        'generator) are the bottleneck, so the delay hardly shows there.',
      '',
      table(
        ['delay ms', 'phase', 'requests', 'concurrency', 'req/s', 'p50 ms', 'p99 ms', 'p50 / p99 × delay', 'round trips', 'errors'],
        rows.map((r) => [
          r.delay,
          r.phase,
          r.count,
          r.concurrency,
          fmt(r.throughput, 1),
          fmt(r.p50, 1),
          fmt(r.p99, 1),
          perDelay(r),
          added(r),
          r.errors,
        ]),
      ),
      ...(firstFailure ? ['', `First failed bind: \`${firstFailure.replace(/`/g, "'")}\``] : []),
    ].join('\n');
    return { markdown, results: { delays: DELAYS, instances: INSTANCES, binds: BINDS, serial: SERIAL, rows, firstFailure, quick: QUICK } };
  } finally {
    await broker?.stop();
    await landscape?.stop();
    await dropAll();
  }
}

module.exports = { name: 'bind-path', run };
if (require.main === module) {
  main(module.exports);
}
