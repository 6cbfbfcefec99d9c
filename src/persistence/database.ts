import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source-options';
import { EmbeddedPostgres } from './embedded-postgres';

const MIGRATION_LOCK_KEY = 4_718_203_911;

/**
 * Opens the database (starting the embedded one when no URL is configured) and migrates it.
 * Replicas starting together serialise their migrations on an advisory lock.
 */
export async function openDatabase(opts: {
  url?: string;
  dataDir: string;
  poolSize: number;
}): Promise<{ dataSource: DataSource; embedded?: EmbeddedPostgres; close: () => Promise<void> }> {
  let embedded: EmbeddedPostgres | undefined;
  let url = opts.url;
  if (!url) {
    embedded = await EmbeddedPostgres.start(opts.dataDir, opts.poolSize + 5);
    url = embedded.url;
  }
  const dataSource = new DataSource({ ...dataSourceOptions(url, opts.poolSize), migrationsRun: false });
  try {
    await dataSource.initialize();
    await migrate(dataSource);
  } catch (err) {
    if (dataSource.isInitialized) {
      await dataSource.destroy();
    }
    await embedded?.stop();
    throw err;
  }
  return {
    dataSource,
    embedded,
    close: async () => {
      if (dataSource.isInitialized) {
        await dataSource.destroy();
      }
      await embedded?.stop();
    },
  };
}

export async function migrate(dataSource: DataSource): Promise<void> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await runner.release();
  }
}
