'use strict';
// Starts the broker as an operator does (`node dist/main.js`, local profile) in a child process on a free
// loopback port, optionally with the landscape simulator in a separate process.

const { existsSync, mkdtempSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const path = require('node:path');
const { DIST, freePort, nowMs, sleep, spawnChild } = require('./common');

const MAIN = path.join(DIST, 'main.js');

function requireBuild() {
  if (!existsSync(MAIN)) {
    throw new Error(`${MAIN} is missing: run \`npm run build\` first (npm run bench does)`);
  }
}

/** Polls url until it answers 200 or timeoutMs passes. */
async function waitFor200(url, timeoutMs, isAlive = () => true) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(url);
      await res.arrayBuffer();
      if (res.status === 200) {
        return;
      }
    } catch {
      // not listening yet
    }
    if (!isAlive()) {
      throw new Error(`process exited before ${url} answered`);
    }
    if (Date.now() > deadline) {
      throw new Error(`${url} did not answer 200 within ${timeoutMs} ms`);
    }
    await sleep(10);
  }
}

/** The landscape simulator in its own process; `setFaults(rules | null)` goes over IPC. */
async function startLandscapeProcess({ shootCreateDelayMs = 0 } = {}) {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'kbt-bench-landscape-'));
  const proc = spawnChild(process.execPath, [path.join(__dirname, 'landscape-child.js'), dataDir, String(shootCreateDelayMs)], {
    ipc: true,
  });
  const pending = new Map();
  let nextId = 1;
  const ready = new Promise((resolve, reject) => {
    proc.child.on('message', (msg) => {
      if (msg.ready) {
        resolve(msg);
      } else if (pending.has(msg.id)) {
        pending.get(msg.id)(msg);
        pending.delete(msg.id);
      }
    });
    proc.exited.then(() => reject(new Error(`landscape process exited: ${proc.output().stderr.slice(-2000)}`)));
  });
  const { kubeconfigPath } = await ready;
  return {
    pid: proc.pid,
    kubeconfigPath,
    setFaults(faults) {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, (msg) => (msg.ok ? resolve(msg) : reject(new Error(msg.error))));
        proc.child.send({ id, faults });
      });
    },
    async stop() {
      await proc.stop(5000);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * `node dist/main.js` with BROKER_PROFILE=local, a fresh DATA_DIR, LOG_LEVEL=silent; returns once
 * /readyz answers 200, with the time that took (spawn to first 200).
 */
async function startBroker({ databaseUrl, gardenerKubeconfig, env = {}, dataDir, nodeArgs = [], readyTimeoutMs = 120_000 } = {}) {
  requireBuild();
  const port = await freePort();
  const ownDataDir = !dataDir;
  const dir = dataDir ?? mkdtempSync(path.join(tmpdir(), 'kbt-bench-broker-'));
  const childEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'production',
    BROKER_PROFILE: 'local',
    HOST: '127.0.0.1',
    PORT: String(port),
    DATA_DIR: dir,
    LOG_LEVEL: 'silent',
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    ...(gardenerKubeconfig ? { GARDENER_KUBECONFIG: gardenerKubeconfig } : {}),
    ...env,
  };
  const started = nowMs();
  const proc = spawnChild(process.execPath, [...nodeArgs, MAIN], { env: childEnv });
  const url = `http://127.0.0.1:${port}`;
  let alive = true;
  proc.exited.then(() => (alive = false));
  try {
    await waitFor200(`${url}/readyz`, readyTimeoutMs, () => alive);
  } catch (err) {
    await proc.stop(1000);
    throw new Error(`${err.message}\n${proc.output().stderr.slice(-3000)}`);
  }
  const startupMs = nowMs() - started;
  return {
    url,
    port,
    pid: proc.pid,
    dataDir: dir,
    startupMs,
    output: proc.output,
    /** Graceful stop (SIGTERM); the data directory goes too unless it was given. */
    async stop() {
      await proc.stop(15_000);
      if (ownDataDir) {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/** A client_credentials token from the local dev issuer (basic client auth). */
async function devToken(url, clientId = 'local-client', clientSecret = 'local-secret') {
  const res = await fetch(`${url}/uaa/oauth/token`, {
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
  return (await res.json()).access_token;
}

const SERVICE_ID = '47c9dcbf-ff30-448e-ab36-d3bad66ba281';
const AWS_PLAN_ID = '361c511f-f939-4621-b228-d0fb79a1fe15';

function osbHeaders(token) {
  return {
    authorization: `Bearer ${token}`,
    'x-broker-api-version': '2.17',
    'content-type': 'application/json',
  };
}

function provisionBody(n, extra = {}) {
  return JSON.stringify({
    service_id: SERVICE_ID,
    plan_id: AWS_PLAN_ID,
    ...extra,
    context: { globalaccount_id: `ga-bench-${n % 50}`, subaccount_id: `sa-bench-${n}`, user_id: 'bench@example.com' },
    parameters: { name: `bench-${n}`, region: 'eu-central-1' },
  });
}

/** Provisions `ids` through the OSB API and waits until every last_operation says succeeded. */
async function provisionAndWait(url, token, ids, timeoutMs = 120_000) {
  const headers = osbHeaders(token);
  await Promise.all(
    ids.map(async (id, n) => {
      const res = await fetch(`${url}/oauth/v2/service_instances/${id}?accepts_incomplete=true`, {
        method: 'PUT',
        headers,
        body: provisionBody(n),
      });
      if (res.status !== 202 && res.status !== 200 && res.status !== 201) {
        throw new Error(`provision ${id}: ${res.status} ${await res.text()}`);
      }
      await res.arrayBuffer();
    }),
  );
  const deadline = Date.now() + timeoutMs;
  const pending = new Set(ids);
  while (pending.size > 0) {
    if (Date.now() > deadline) {
      throw new Error(`${pending.size} instances not provisioned within ${timeoutMs} ms`);
    }
    for (const id of [...pending]) {
      const res = await fetch(`${url}/oauth/v2/service_instances/${id}/last_operation`, { headers });
      const body = await res.json();
      if (body.state === 'succeeded') {
        pending.delete(id);
      } else if (body.state === 'failed') {
        throw new Error(`provision ${id} failed: ${body.description}`);
      }
    }
    if (pending.size > 0) {
      await sleep(200);
    }
  }
}

module.exports = {
  MAIN,
  requireBuild,
  waitFor200,
  startBroker,
  startLandscapeProcess,
  devToken,
  osbHeaders,
  provisionBody,
  provisionAndWait,
  SERVICE_ID,
  AWS_PLAN_ID,
};

/** The bare node:http baseline in its own process, serving `routes` ({ path: { status, body } }). */
async function startBareServer(routes) {
  const { writeFileSync } = require('node:fs');
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'kbt-bench-bare-')), 'routes.json');
  writeFileSync(file, JSON.stringify(routes));
  const proc = spawnChild(process.execPath, [path.join(__dirname, 'bare-server.js'), file], { ipc: true });
  const { port } = await new Promise((resolve, reject) => {
    proc.child.once('message', resolve);
    proc.exited.then(() => reject(new Error(`bare server exited: ${proc.output().stderr}`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    pid: proc.pid,
    async stop() {
      await proc.stop(2000);
      rmSync(path.dirname(file), { recursive: true, force: true });
    },
  };
}

module.exports.startBareServer = startBareServer;
