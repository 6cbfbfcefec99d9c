'use strict';
// Bench 2 — peer comparison: the same OSB calls (catalog, last_operation, provision) against
// kyma-broker-ts and against a minimal broker built with SAP's Service Broker Framework (@sap/sbf),
// which lives in bench/peer-sbf/ with its own pinned dependencies (installed there on first run; it is
// not a dependency of the product). If it cannot be installed or started, the bench says why and ends
// normally, so that run-all goes on.

const { execFile } = require('node:child_process');
const { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const path = require('node:path');
const { QUICK, q, fmt, ratio, table, spawnChild, main, log } = require('./lib/common');
const { createBenchDatabase, postgresProblem, dropAll } = require('./lib/db');
const { startBroker, startLandscapeProcess, devToken, osbHeaders, provisionAndWait, provisionBody } = require('./lib/broker');
const { cannon, request } = require('./lib/load');

const PEER_DIR = path.join(__dirname, 'peer-sbf');
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const DURATION = q(3, 8);
const WARMUP = q(1, 2);
const PROVISIONS = q(200, 600);
// SBF requires the Cloud Foundry fields (OSB's deprecated top-level ones); ours ignores unknown fields, so
// both servers get the same body.
const CF_FIELDS = { organization_guid: 'bench-org', space_guid: 'bench-space' };

/** Installs bench/peer-sbf/node_modules from its lock file when missing; resolves { ok, version?, reason? }. */
async function ensurePeerInstalled() {
  const pkg = path.join(PEER_DIR, 'node_modules', '@sap', 'sbf', 'package.json');
  if (!existsSync(pkg)) {
    log('installing @sap/sbf into bench/peer-sbf/node_modules (npm ci, first run only)');
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const outcome = await new Promise((resolve) => {
      execFile(
        npm,
        ['ci', '--no-audit', '--no-fund', '--ignore-scripts'],
        { cwd: PEER_DIR, timeout: 240_000, maxBuffer: 8 * 1024 * 1024 },
        (err, stdout, stderr) => resolve({ err, output: `${stdout}\n${stderr}` }),
      );
    });
    if (outcome.err) {
      const lines = outcome.output.split('\n').filter((l) => /err/i.test(l)).slice(0, 6).join(' ');
      return { ok: false, reason: `npm ci in bench/peer-sbf failed: ${lines || outcome.err.message}` };
    }
  }
  try {
    return { ok: true, version: JSON.parse(readFileSync(pkg, 'utf8')).version };
  } catch (err) {
    return { ok: false, reason: `@sap/sbf is not installed in bench/peer-sbf: ${err.message}` };
  }
}

async function startPeer(catalogJson) {
  const dir = mkdtempSync(path.join(tmpdir(), 'kbt-bench-sbf-'));
  const catalogFile = path.join(dir, 'catalog.json');
  writeFileSync(catalogFile, catalogJson);
  const proc = spawnChild(process.execPath, [path.join(PEER_DIR, 'server.js'), catalogFile], {
    cwd: PEER_DIR,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'production' },
    ipc: true,
  });
  const cleanup = async () => {
    await proc.stop(3000);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const info = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no answer within 30 s')), 30_000);
      proc.child.once('message', (m) => {
        clearTimeout(timer);
        resolve(m);
      });
      proc.exited.then(({ code }) => {
        clearTimeout(timer);
        reject(new Error(`exited with code ${code}: ${proc.output().stderr.slice(-1500) || proc.output().stdout.slice(-1500)}`));
      });
    });
    return {
      url: `http://127.0.0.1:${info.port}`,
      headers: {
        authorization: `Basic ${Buffer.from(`${info.user}:${info.password}`).toString('base64')}`,
        'x-broker-api-version': '2.17',
        'content-type': 'application/json',
      },
      stop: cleanup,
    };
  } catch (err) {
    await cleanup();
    throw err;
  }
}

function skipped(reason) {
  log(`peer comparison skipped: ${reason}`);
  return {
    markdown: [
      '### 2. Peer comparison with SAP Service Broker Framework (@sap/sbf)',
      '',
      `**Skipped:** ${reason}`,
    ].join('\n'),
    results: { skipped: reason },
  };
}

async function run() {
  const installed = await ensurePeerInstalled();
  if (!installed.ok) {
    return skipped(installed.reason);
  }
  const problem = await postgresProblem();
  if (problem) {
    throw new Error(problem);
  }
  const db = await createBenchDatabase('peer');
  let landscape;
  let ours;
  let peer;
  try {
    landscape = await startLandscapeProcess();
    ours = await startBroker({ databaseUrl: db.url, gardenerKubeconfig: landscape.kubeconfigPath });
    const token = await devToken(ours.url);
    const oursTarget = { name: 'kyma-broker-ts', url: ours.url, prefix: '/oauth/v2', headers: osbHeaders(token) };
    await provisionAndWait(ours.url, token, ['bench-peer-1']);
    const catalog = await request(`${ours.url}/oauth/v2/catalog`, { headers: oursTarget.headers });
    if (catalog.status !== 200) {
      throw new Error(`catalog answered ${catalog.status}`);
    }
    try {
      peer = await startPeer(catalog.body);
    } catch (err) {
      return skipped(`@sap/sbf ${installed.version} did not start: ${err.message}`);
    }
    const theirs = { name: `@sap/sbf ${installed.version}`, url: peer.url, prefix: '/v2', headers: peer.headers };
    const peerCatalog = await request(`${peer.url}/v2/catalog`, { headers: peer.headers });
    const put = await request(`${peer.url}/v2/service_instances/bench-peer-1?accepts_incomplete=true`, {
      method: 'PUT',
      headers: peer.headers,
      body: provisionBody(1, CF_FIELDS),
    });
    if (peerCatalog.status !== 200 || put.status !== 202) {
      return skipped(`@sap/sbf answered catalog ${peerCatalog.status}, provision ${put.status}: ${put.body.slice(0, 300)}`);
    }

    const results = [];
    for (const [route, suffix] of [
      ['GET catalog', '/catalog'],
      ['GET last_operation', '/service_instances/bench-peer-1/last_operation'],
    ]) {
      for (const t of [theirs, oursTarget]) {
        log(`autocannon ${t.name} ${route}: ${CONNECTIONS} connections, ${DURATION} s`);
        const r = await cannon({ url: `${t.url}${t.prefix}${suffix}`, headers: t.headers, connections: CONNECTIONS, duration: DURATION, warmup: WARMUP });
        results.push({ route, server: t.name, ...r });
      }
    }
    // Provisioning: a fixed number of new instances each. The simulated Gardener answers 503 meanwhile, so
    // that the engine's shoot creation (in this simulator: key generation, heavy CPU on this small machine)
    // does not compete with the measured synchronous part (validation, two inserts, 202); its retries back off.
    await landscape.setFaults({ target: 'gardener', errorRate: 1, errorStatus: 503 });
    for (const t of [theirs, oursTarget]) {
      let n = 0;
      log(`autocannon ${t.name} provision: ${PROVISIONS} new instances, ${CONNECTIONS} connections`);
      const r = await cannon({
        url: t.url,
        headers: t.headers,
        connections: CONNECTIONS,
        warmup: 0,
        amount: PROVISIONS,
        requests: [
          {
            method: 'PUT',
            setupRequest: (req) => {
              const i = n++;
              return { ...req, path: `${t.prefix}/service_instances/bench-prov-${i}?accepts_incomplete=true`, body: provisionBody(1000 + i, CF_FIELDS) };
            },
          },
        ],
      });
      results.push({ route: 'PUT provision (async)', server: t.name, ...r });
    }

    const rows = results.map((r) => {
      const peerRow = results.find((b) => b.route === r.route && b.server === theirs.name);
      const isPeer = r === peerRow;
      return [
        r.route,
        r.server,
        fmt(r.rps, 0),
        fmt(r.p50, 0),
        fmt(r.p99, 0),
        `${r.non2xx}/${r.errors}`,
        isPeer ? '' : ratio(r.rps, peerRow.rps),
        isPeer ? '' : ratio(r.p99, peerRow.p99, 1),
      ];
    });
    const markdown = [
      `### 2. Peer comparison with SAP Service Broker Framework (@sap/sbf ${installed.version})`,
      '',
      `autocannon, ${CONNECTIONS} connections; GETs for ${DURATION} s after ${WARMUP} s warm-up, provision: ${PROVISIONS} new instances per server. ` +
        'The peer is a minimal SBF broker (bench/peer-sbf/server.js) serving our exact catalog with HTTP basic auth and keeping ' +
        'instances in memory; ours checks a bearer JWT, validates parameters against the plan schema and reads/writes PostgreSQL. ' +
        'Ratios are ours/theirs (req/s: higher is better for us; p99: lower is).',
      '',
      table(['call', 'server', 'req/s', 'p50 ms', 'p99 ms', 'non-2xx/errors', 'req/s ours/theirs', 'p99 ours/theirs'], rows),
    ].join('\n');
    return { markdown, results: { connections: CONNECTIONS, duration: DURATION, provisions: PROVISIONS, peerVersion: installed.version, runs: results, quick: QUICK } };
  } finally {
    await peer?.stop();
    await ours?.stop();
    await landscape?.stop();
    await dropAll();
  }
}

module.exports = { name: 'peer-sbf', run };
if (require.main === module) {
  main(module.exports);
}
