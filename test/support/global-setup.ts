import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/persistence/data-source-options';
import { migrate } from '../../src/persistence/database';
import { EmbeddedPostgres } from '../../src/persistence/embedded-postgres';

const ADMIN_URL = process.env.TEST_POSTGRES_URL || 'postgres://postgres@127.0.0.1:5432/test';

async function migrateOnce(url: string): Promise<void> {
  const ds = new DataSource({ ...dataSourceOptions(url, 2), migrationsRun: false });
  await ds.initialize();
  await migrate(ds);
  await ds.destroy();
}

/** Prepares both storage backends once per run; PostgreSQL missing is a failure, never a skip. */
export default async function globalSetup(): Promise<void> {
  const admin = new Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 5000 });
  try {
    await admin.connect();
  } catch (err) {
    throw new Error(
      `PostgreSQL is required for the test suite at ${ADMIN_URL} (set TEST_POSTGRES_URL to change it) but is unreachable: ` +
        `${(err as Error).message}. Start it, e.g. with: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start`,
    );
  }
  const dbName = `kbt_${process.pid}_${Date.now()}`;
  await admin.query(`CREATE DATABASE ${dbName}`);
  await admin.end();
  const pgUrl = new URL(ADMIN_URL);
  pgUrl.pathname = `/${dbName}`;
  process.env.KBT_PG_URL = pgUrl.toString();
  process.env.KBT_PG_DBNAME = dbName;

  const dir = mkdtempSync(join(tmpdir(), 'kbt-embedded-'));
  const embedded = await EmbeddedPostgres.start(dir, 40);
  (globalThis as { __kbtEmbedded?: EmbeddedPostgres }).__kbtEmbedded = embedded;
  process.env.KBT_EMBEDDED_URL = embedded.url;

  await migrateOnce(process.env.KBT_PG_URL);
  await migrateOnce(embedded.url);
}
