import type { DataSourceOptions } from 'typeorm';
import { BindingEntity } from './binding.entity';
import { InstanceEntity } from './instance.entity';
import { InitialSchema1763856000000 } from './migrations/1763856000000-InitialSchema';
import { RuntimesInfoIndexes1795391400000 } from './migrations/1795391400000-RuntimesInfoIndexes';
import { RuntimeCounts1796140800000 } from './migrations/1796140800000-RuntimeCounts';
import { OperationEntity } from './operation.entity';

export const ENTITIES = [InstanceEntity, OperationEntity, BindingEntity];
export const MIGRATIONS = [InitialSchema1763856000000, RuntimesInfoIndexes1795391400000, RuntimeCounts1796140800000];

/** One options factory for the app, the tests and the TypeORM CLI. Never `synchronize`: migrations only. */
export function dataSourceOptions(url: string, poolSize = 10): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsRun: true,
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: false,
    extra: { max: poolSize, connectionTimeoutMillis: 10000 },
  };
}
