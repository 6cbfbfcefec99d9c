'use strict';
// Runs every benchmark, one after the other, each in a process of its own (so one's memory or failure
// does not touch the next), then appends a dated section with the machine's facts and every bench's
// tables to docs/benchmarks.md. A bench that fails or overruns its time is reported as such and the run
// goes on. Quick mode (BENCH_QUICK=1) writes to bench/.results/benchmarks-quick.md instead, unless
// BENCH_WRITE_DOCS=1. BENCH_ONLY=hot-path,scale runs a subset.

const { execFileSync } = require('node:child_process');
const { appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { ROOT, RESULTS_DIR, DIST, QUICK, fmt, machine, nowMs, spawnChild, log } = require('./lib/common');

// name, what, time bound in seconds of a full run (each bench bounds itself well below it; this is the backstop).
const BENCHES = [
  ['hot-path', 'OSB hot path vs bare node:http', 240],
  ['peer-sbf', 'peer comparison with @sap/sbf', 360],
  ['bind-path', 'bind latency with simulator delays', 240],
  ['scale', '/info/runtimes at 10k/100k runtimes and expiry cleanup', 540],
  ['startup', 'start-up time and resident memory', 300],
];
const QUICK_TIMEOUT_S = 180;
const DOCS = path.join(ROOT, 'docs', 'benchmarks.md');

const INTRO = `# Benchmarks

\`npm run bench\` builds the broker and runs the benchmarks in \`bench/\`, one after the other, and appends a dated
section to this file. Each one also runs alone: \`node bench/<name>.js\` (after \`npm run build\`), and
\`BENCH_QUICK=1\` makes any of them (and \`run-all\`) short, for checking that they work; quick runs write to
\`bench/.results/\` instead of this file. Raw numbers of every run are kept in \`bench/.results/\` (not committed).

| bench | what |
|---|---|
| \`hot-path\` | GET catalog and last_operation with a bearer JWT under autocannon, against a bare \`node:http\` server answering the same bytes |
| \`peer-sbf\` | the same OSB calls against a minimal broker on SAP's Service Broker Framework (\`bench/peer-sbf/\`, installed there on first run) |
| \`bind-path\` | bind latency while the landscape simulator delays every Gardener/runtime call by 0 and 20 ms; 200 binds at concurrency 20 |
| \`scale\` | \`/info/runtimes\` at 10,000 and 100,000 runtimes in PostgreSQL; expiry cleanup of 100,000 bindings (rows/s, memory) |
| \`startup\` | spawn → \`/readyz\` time and resident memory at idle and under load, on PostgreSQL and on the embedded database |

## Method

- Everything runs on this machine over loopback (127.0.0.1): the broker (\`node dist/main.js\`, local profile, in a child
  process), the load generator (autocannon or a small keep-alive client) in the bench process, and where it matters the
  landscape simulator in a third process, as a real Gardener would be elsewhere. Every bench makes a bounded number of
  requests in a bounded time and stops by itself. They measure; they never pass or fail.
- PostgreSQL benches use a database of their own (\`kbt_bench_*\`), created fresh, migrated by the broker's own
  migrations, and dropped at the end.
- Numbers from one machine at one moment are not portable: **read the ratios**, which compare two things measured in
  the same run on the same machine under the same conditions. "ours / baseline" below 1× for req/s means slower than
  the baseline; above 1× for a latency means slower. A bare \`node:http\` server is the ceiling of what any Node.js
  server can do here: the ratio to it says how much of that ceiling the framework, auth, validation and database use.
- The machine is small (see each section's header) and may be shared: every bench prints the 1-minute load average at
  its start and end. A load above the CPU count means other processes competed for the CPU during that bench, and its
  absolute numbers (less so its ratios) are pessimistic.
- autocannon records latencies in whole milliseconds; the closed-loop client (bind path, scale) uses \`process.hrtime\`.
  p50/p99 are nearest-rank percentiles of all requests of a row. Every table shows errors and non-2xx answers, so that a
  fast run of failures cannot pass for a fast run.

## Reading the tables: what stays true from run to run

- **Hot path.** The bare server is the ceiling; the broker's share of it is spent on express/Nest routing, the
  pino-http middleware (it builds a child logger per request even at \`LOG_LEVEL=silent\`), RS256 verification of the
  bearer token on every request, and for the catalog on serialising its ~59 KB JSON on every request (the controller
  returns the object although \`CatalogService.getCatalogJson()\` holds it serialised). \`last_operation\` makes two
  sequential PostgreSQL queries (instance, then its last operation).
- **Peer.** The SBF peer keeps state in memory and checks HTTP basic auth; on the catalog (the same bytes, no database
  on either side) the two come out close. On every other OSB route its request-validation middleware creates a new Ajv
  instance and compiles its schema per request (\`lib/middleware/validation-middleware.js\` of @sap/sbf), which dominates
  its cost there; that is why ours, with a database behind it, is faster on last_operation and provision.
- **Bind path.** A token_request bind waits for two delayed calls one after the other (ServiceAccount, ClusterRole and
  ClusterRoleBinding in parallel, then the TokenRequest; the runtime's admin credential is cached), so serial latency
  is about 2 × delay plus the 0 ms time.
- **Scale.** Filters that pick few runtimes (account, instance id) cost the same at 10k and 100k. The unfiltered and
  broad listings do not: \`totalCount\` is a \`count(*)\` over all matching runtimes whenever the page is full, and deep
  pages use OFFSET, which sorts and skips every row before the page. Both grow with the table, not the page. With
  EXPLAIN ANALYZE at 100k runtimes: the default count ~35 ms, page 1 itself under 1 ms, the page at offset 50,000
  ~85 ms (a sort of all 90,000 rows spilling to disk), so nearly all of "page 1" at 100k is the count.
- **Cleanup.** Expired bindings are removed one row at a time (a lookup of the instance and a DELETE per binding, 8 in
  parallel), so rows/s is bounded by database round trips. It works in batches of 500: the peak RSS and heap are
  garbage waiting for collection, the live heap after a full GC is what it was before the run (column added after the
  first full runs; checked with 10,000 bindings: 71 → 72 MiB).
- **Start-up.** The embedded database (PGlite, PostgreSQL compiled to WebAssembly) runs inside the broker process: its
  memory is in the broker's RSS, and its first start initialises the data directory.
`;

function header() {
  const m = machine();
  let commit = 'unknown';
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: ROOT, encoding: 'utf8' }).trim();
    if (dirty) {
      commit += ' + uncommitted changes';
    }
  } catch {
    // not a git checkout
  }
  return [
    `## ${new Date().toISOString().replace('T', ' ').slice(0, 16)} UTC${QUICK ? ' (quick mode)' : ''}`,
    '',
    `Machine: ${m.cpus} × ${m.cpuModel}, ${m.memoryGiB} GiB, ${m.platform}; Node ${m.node}; commit ${commit}; ` +
      `load average at start ${os.loadavg().map((l) => fmt(l, 1)).join(' / ')} (1 / 5 / 15 min).`,
  ].join('\n');
}

async function runBench(name, outDir, timeoutS) {
  const timeoutMs = (QUICK ? QUICK_TIMEOUT_S : timeoutS) * 1000;
  const markdownOut = path.join(outDir, `${name}.md`);
  const started = nowMs();
  const proc = spawnChild(process.execPath, [path.join(__dirname, `${name}.js`), '--markdown-out', markdownOut], {
    env: process.env,
  });
  proc.child.stdout.pipe(process.stdout);
  proc.child.stderr.pipe(process.stderr);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    void proc.stop(10_000);
  }, timeoutMs);
  const { code, signal } = await proc.exited;
  clearTimeout(timer);
  const seconds = (nowMs() - started) / 1000;
  if (code === 0 && existsSync(markdownOut)) {
    return { ok: true, seconds, markdown: readFileSync(markdownOut, 'utf8') };
  }
  const why = timedOut ? `did not finish within ${timeoutMs / 1000} s` : `exited with ${signal ?? `code ${code}`}`;
  const tail = proc
    .output()
    .stderr.split('\n')
    .filter((l) => l.trim() && !/^\[\d\d:\d\d:\d\d\]/.test(l))
    .slice(-8)
    .join('\n');
  return {
    ok: false,
    seconds,
    markdown: `### ${name}: failed\n\nThe bench ${why} after ${fmt(seconds, 0)} s.\n\n\`\`\`\n${tail}\n\`\`\`\n`,
  };
}

async function main() {
  const only = (process.env.BENCH_ONLY ?? process.argv.slice(2).filter((a) => !a.startsWith('--')).join(','))
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const selected = BENCHES.filter(([name]) => only.length === 0 || only.includes(name));
  if (selected.length === 0) {
    console.error(`no bench matches ${only.join(', ')}; known: ${BENCHES.map(([n]) => n).join(', ')}`);
    process.exit(2);
  }
  if (!existsSync(path.join(DIST, 'main.js'))) {
    console.error(`${path.join(DIST, 'main.js')} is missing: run \`npm run build\` first (npm run bench does)`);
    process.exit(2);
  }
  const head = header();
  const outDir = mkdtempSync(path.join(os.tmpdir(), 'kbt-bench-run-'));
  // A private copy of the build for the whole run (inside the project, so that node_modules resolve as from dist/).
  let snapshot;
  if (!process.env.BENCH_DIST) {
    mkdirSync(RESULTS_DIR, { recursive: true });
    snapshot = mkdtempSync(path.join(RESULTS_DIR, 'dist-'));
    cpSync(DIST, snapshot, { recursive: true });
    process.env.BENCH_DIST = snapshot;
  }
  const sections = [];
  const started = nowMs();
  try {
    for (const [name, what, timeoutS] of selected) {
      log(`=== ${name}: ${what}`);
      const r = await runBench(name, outDir, timeoutS);
      log(`=== ${name}: ${r.ok ? 'done' : 'FAILED'} in ${fmt(r.seconds, 0)} s`);
      sections.push(r.markdown.trim());
    }
  } finally {
    rmSync(outDir, { recursive: true, force: true });
    if (snapshot) {
      rmSync(snapshot, { recursive: true, force: true });
    }
  }
  const total = (nowMs() - started) / 1000;
  const section = `${head}\n\n${sections.join('\n\n')}\n\n_All benches: ${fmt(total, 0)} s._\n`;
  const writeDocs = !QUICK || ['1', 'true'].includes(String(process.env.BENCH_WRITE_DOCS ?? ''));
  let target;
  if (writeDocs) {
    if (!existsSync(DOCS)) {
      mkdirSync(path.dirname(DOCS), { recursive: true });
      writeFileSync(DOCS, INTRO);
    }
    appendFileSync(DOCS, `\n${section}`);
    target = DOCS;
  } else {
    mkdirSync(RESULTS_DIR, { recursive: true });
    target = path.join(RESULTS_DIR, 'benchmarks-quick.md');
    appendFileSync(target, `\n${section}`);
  }
  console.log(`\n${section}`);
  log(`appended to ${path.relative(ROOT, target)}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
