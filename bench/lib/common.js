'use strict';
// Shared helpers of the benchmarks: options, timing, statistics, tables, result files, child processes.
// Benchmarks talk to loopback only, run a bounded number of requests for a bounded time, and stop by themselves.

const { spawn } = require('node:child_process');
const { mkdirSync, writeFileSync } = require('node:fs');
const { createServer } = require('node:net');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');
const RESULTS_DIR = path.join(ROOT, 'bench', '.results');
// The compiled broker. run-all points this at a private copy of dist/ made right after the build, so that a
// rebuild of dist/ by someone else during a long run cannot pull files from under the broker.
const DIST = process.env.BENCH_DIST ? path.resolve(process.env.BENCH_DIST) : path.join(ROOT, 'dist');
const QUICK = ['1', 'true', 'yes'].includes(String(process.env.BENCH_QUICK ?? '').toLowerCase()) || process.argv.includes('--quick');

/** Picks the quick or the full value of a setting. */
function q(quick, full) {
  return QUICK ? quick : full;
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function nowMs() {
  return Number(process.hrtime.bigint()) / 1e6;
}

/** A free TCP port on 127.0.0.1 (the broker derives its dev issuer URLs from a concrete port). */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Percentile (nearest rank) of an array of numbers. */
function percentile(values, p) {
  if (values.length === 0) {
    return NaN;
  }
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

function summary(values) {
  return {
    n: values.length,
    p50: percentile(values, 50),
    p90: percentile(values, 90),
    p99: percentile(values, 99),
    max: values.length ? Math.max(...values) : NaN,
    mean: values.length ? values.reduce((a, b) => a + b, 0) / values.length : NaN,
  };
}

/** Formats a number for a table: at most 3 significant decimals, thousands separated. */
function fmt(value, digits) {
  if (value === undefined || value === null || (typeof value === 'number' && !Number.isFinite(value))) {
    return 'n/a';
  }
  if (typeof value !== 'number') {
    return String(value);
  }
  const d = digits ?? (Number.isInteger(value) || Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2);
  return value.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
}

/** ours / baseline as "0.42×"; n/a when the baseline is 0 or missing. */
function ratio(ours, baseline, digits = 2) {
  if (!Number.isFinite(ours) || !Number.isFinite(baseline) || baseline === 0) {
    return 'n/a';
  }
  return `${fmt(ours / baseline, digits)}×`;
}

function mib(bytes) {
  return bytes / (1024 * 1024);
}

/** A Markdown table from a header row and data rows (cells are strings or numbers). */
function table(header, rows) {
  const cells = [header, ...rows].map((r) => r.map((c) => (typeof c === 'number' ? fmt(c) : String(c))));
  const widths = header.map((_, i) => Math.max(3, ...cells.map((r) => (r[i] ?? '').length)));
  const line = (r) => `| ${r.map((c, i) => (c ?? '').padEnd(widths[i])).join(' | ')} |`;
  return [line(cells[0]), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...cells.slice(1).map(line)].join(
    '\n',
  );
}

function machine() {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model?.trim() ?? 'unknown',
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
  };
}

/** Writes the raw result of one bench to bench/.results/<name>-<stamp>.json (gitignored); returns the path. */
function saveResult(name, data) {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const file = path.join(RESULTS_DIR, `${name}-${stamp}.json`);
  writeFileSync(file, JSON.stringify({ name, quick: QUICK, machine: machine(), ...data }, null, 2));
  return file;
}

/** Processes started by this bench, stopped (by their own pid) on exit. */
const children = new Set();

/**
 * Spawns a child process that this bench owns. `ready(line)` on stdout may resolve the start; otherwise
 * the promise resolves at once. The child is killed when the bench exits, whatever the reason.
 */
function spawnChild(command, args, opts = {}) {
  const child = spawn(command, args, {
    cwd: opts.cwd ?? ROOT,
    env: opts.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe', ...(opts.ipc ? ['ipc'] : [])],
  });
  children.add(child);
  let stderr = '';
  let stdout = '';
  child.stderr.on('data', (d) => {
    stderr = (stderr + d.toString()).slice(-8000);
  });
  child.stdout.on('data', (d) => {
    stdout = (stdout + d.toString()).slice(-8000);
  });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  exited.then(() => children.delete(child));
  return {
    child,
    pid: child.pid,
    exited,
    output: () => ({ stdout, stderr }),
    /** SIGTERM, then SIGKILL after graceMs. */
    async stop(graceMs = 5000) {
      if (child.exitCode !== null || child.signalCode !== null) {
        return exited;
      }
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const result = await exited;
      clearTimeout(timer);
      return result;
    },
  };
}

function killChildren() {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
    }
  }
}
process.on('exit', killChildren);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    killChildren();
    process.exit(130);
  });
}

/** Resident set size (current and peak) of a process from /proc, in bytes; undefined where /proc is missing. */
function procMemory(pid) {
  try {
    const status = require('node:fs').readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
    return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
  } catch {
    return undefined;
  }
}

/**
 * Runs a bench module as the main program: prints its tables, saves the raw result, and with
 * `--markdown-out FILE` (used by run-all) writes its Markdown section there.
 */
function main(bench) {
  const started = nowMs();
  const loadAtStart = os.loadavg()[0];
  const outIndex = process.argv.indexOf('--markdown-out');
  const markdownOut = outIndex > 0 ? process.argv[outIndex + 1] : undefined;
  bench
    .run()
    .then((result) => {
      const seconds = (nowMs() - started) / 1000;
      const markdown =
        `${result.markdown.trim()}\n\n_${bench.name}: ${fmt(seconds, 0)} s${QUICK ? ', quick mode' : ''}; ` +
        `1-minute load average ${fmt(loadAtStart, 1)} at its start and ${fmt(os.loadavg()[0], 1)} at its end ` +
        `(${os.cpus().length} CPUs; above that, other processes competed for the CPU)._\n`;
      const file = saveResult(bench.name, { seconds, loadAverage: { start: loadAtStart, end: os.loadavg()[0] }, ...result });
      console.log(`\n${markdown}\nraw results: ${path.relative(ROOT, file)}`);
      if (markdownOut) {
        writeFileSync(markdownOut, markdown);
      }
      process.exit(0);
    })
    .catch((err) => {
      console.error(`${bench.name} failed:`, err && err.stack ? err.stack : err);
      process.exit(1);
    });
}

function log(...args) {
  console.error(`[${new Date().toISOString().slice(11, 19)}]`, ...args);
}

module.exports = {
  ROOT,
  RESULTS_DIR,
  DIST,
  QUICK,
  q,
  sleep,
  nowMs,
  freePort,
  percentile,
  summary,
  fmt,
  ratio,
  mib,
  table,
  machine,
  saveResult,
  spawnChild,
  procMemory,
  main,
  log,
};
