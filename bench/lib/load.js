'use strict';
// Load generators: autocannon for throughput at a fixed number of connections, and a small closed-loop
// client (node:http, keep-alive) for per-request latencies with sub-millisecond resolution.

const http = require('node:http');
const autocannon = require('autocannon');
const { nowMs, summary } = require('./common');

/**
 * autocannon against one route; a warm-up run (discarded) first. Returns req/s, latency percentiles
 * (autocannon records whole milliseconds) and the error counts, which every table shows so that a fast
 * run of errors cannot pass for a fast run.
 */
async function cannon({ url, method = 'GET', headers = {}, body, connections = 10, duration = 10, warmup = 2, amount, requests }) {
  const base = { url, method, headers, body, connections, requests };
  if (warmup > 0) {
    await autocannon({ ...base, duration: warmup });
  }
  const t0 = nowMs();
  let lastResponse = t0;
  const instance = autocannon({ ...base, ...(amount ? { amount } : { duration }) });
  instance.on('response', () => (lastResponse = nowMs()));
  const r = await instance;
  // autocannon ends a run on its one-second tick, also a run of a fixed amount that finished earlier: time that
  // one from the start to its last response instead.
  const elapsed = (lastResponse - t0) / 1000;
  return {
    rps: amount ? r.requests.total / elapsed : r.requests.average,
    requests: r.requests.total,
    seconds: amount ? elapsed : r.duration,
    p50: r.latency.p50,
    p90: r.latency.p90,
    p99: r.latency.p99,
    mean: r.latency.average,
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
    statusCodes: r.statusCodeStats,
    connections,
  };
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

/** One HTTP request over a keep-alive agent; resolves { status, body }. */
function request(url, { method = 'GET', headers = {}, body, timeoutMs = 60_000 } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers, agent }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`timeout after ${timeoutMs} ms: ${method} ${url}`)));
    req.on('error', reject);
    if (body !== undefined) {
      req.end(body);
    } else {
      req.end();
    }
  });
}

/**
 * Runs `count` calls of `fn(i)` with `concurrency` in flight (closed loop), timing each call. `fn` resolves
 * to an HTTP status; anything outside `okStatuses` counts as an error (and its latency is still kept).
 */
async function closedLoop({ count, concurrency = 1, fn, okStatuses = [200, 201, 202] }) {
  const latencies = [];
  const statuses = {};
  let next = 0;
  let errors = 0;
  const started = nowMs();
  const worker = async () => {
    for (;;) {
      const i = next++;
      if (i >= count) {
        return;
      }
      const t0 = nowMs();
      let status;
      try {
        status = await fn(i);
      } catch (err) {
        status = `error: ${err.message}`.slice(0, 120);
      }
      latencies.push(nowMs() - t0);
      statuses[status] = (statuses[status] ?? 0) + 1;
      if (!okStatuses.includes(status)) {
        errors++;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  const seconds = (nowMs() - started) / 1000;
  return { ...summary(latencies), seconds, throughput: count / seconds, errors, statuses };
}

module.exports = { cannon, request, closedLoop, agent };
