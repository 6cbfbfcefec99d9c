'use strict';
// A dedicated, fresh PostgreSQL database per bench run (created here, dropped at the end), so a bench
// never touches the databases of the test suite or of anyone else.

const { Client } = require('pg');

const ADMIN_URL = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

function urlFor(database) {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${database}`;
  return url.toString();
}

async function withAdmin(fn) {
  const client = new Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Checks the server is reachable; resolves to an error message or undefined. */
async function postgresProblem() {
  try {
    await withAdmin((c) => c.query('SELECT 1'));
    return undefined;
  } catch (err) {
    return `PostgreSQL at ${new URL(ADMIN_URL).host} is not reachable (${err.message}); set BENCH_POSTGRES_URL`;
  }
}

const created = new Set();

/**
 * Drops bench databases left behind by a run that was killed (older than an hour: no bench runs that long, so a
 * bench running in parallel keeps its own).
 */
async function dropStale() {
  const { rows } = await withAdmin((c) => c.query(`SELECT datname FROM pg_database WHERE datname LIKE 'kbt\\_bench\\_%'`));
  const hourAgo = Date.now() - 3_600_000;
  for (const { datname } of rows) {
    const stamp = parseInt(/^kbt_bench_[a-z]+_([0-9a-z]+)_[0-9a-z]+$/.exec(datname)?.[1] ?? '', 36);
    if (Number.isFinite(stamp) && stamp < hourAgo) {
      await withAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`)).catch(() => undefined);
    }
  }
}

/** Creates kbt_bench_<label>_<time>_<random>; returns { name, url, drop() }. */
async function createBenchDatabase(label) {
  await dropStale();
  const name = `kbt_bench_${label}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 6)}`;
  await withAdmin((c) => c.query(`CREATE DATABASE ${name}`));
  created.add(name);
  return {
    name,
    url: urlFor(name),
    drop: () => dropDatabase(name),
  };
}

async function dropDatabase(name) {
  if (!created.has(name)) {
    return;
  }
  await withAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  created.delete(name);
}

/** Drops every database this process created and did not drop yet (best effort). */
async function dropAll() {
  for (const name of [...created]) {
    await dropDatabase(name).catch((err) => console.error(`could not drop database ${name}: ${err.message}`));
  }
}

module.exports = { ADMIN_URL, urlFor, postgresProblem, createBenchDatabase, dropAll };
