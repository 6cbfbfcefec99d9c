import { Client } from 'pg';
import type { EmbeddedPostgres } from '../../src/persistence/embedded-postgres';

const ADMIN_URL = process.env.TEST_POSTGRES_URL || 'postgres://postgres@127.0.0.1:5432/test';

export default async function globalTeardown(): Promise<void> {
  await (globalThis as { __kbtEmbedded?: EmbeddedPostgres }).__kbtEmbedded?.stop();
  const dbName = process.env.KBT_PG_DBNAME;
  if (dbName) {
    const admin = new Client({ connectionString: ADMIN_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.end();
  }
}
