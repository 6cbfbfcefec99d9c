import { DataSource } from 'typeorm';
import { AppConfig } from '../../../src/config/app-config';
import { dataSourceOptions } from '../../../src/persistence/data-source-options';
import type { RuntimeDto, RuntimesPageDto } from '../../../src/runtimes-info/dto/runtime.dto';
import { RuntimesInfoService } from '../../../src/runtimes-info/runtimes-info.service';
import type { RawRuntimesQuery } from '../../../src/runtimes-info/runtimes-query';
import { RuntimesRepository } from '../../../src/runtimes-info/runtimes.repository';
import { Backend, databaseUrl } from '../../support/databases';

export const DEFAULT_REGION = 'cf-eu10';

/** Only what the runtimes listing reads from the configuration. */
export function runtimesConfig(maxPageSize = 100): AppConfig {
  return {
    runtimesInfo: { maxPageSize, countsCompactIntervalMs: 60_000 },
    broker: { defaultRequestRegion: DEFAULT_REGION },
  } as AppConfig;
}

export async function connect(backend: Backend): Promise<DataSource> {
  const ds = new DataSource({ ...dataSourceOptions(databaseUrl(backend), 4), migrationsRun: false });
  return ds.initialize();
}

/** The service over a real database, as the module wires it. */
export function runtimesService(ds: DataSource, maxPageSize = 100): RuntimesInfoService {
  return new RuntimesInfoService(new RuntimesRepository(ds), runtimesConfig(maxPageSize));
}

export const ids = (page: RuntimesPageDto): string[] => page.data.map((r: RuntimeDto) => r.instanceID);

/** Lists with the given query, always scoped to the test's own accounts (other suites share the database). */
export function lister(service: RuntimesInfoService) {
  return (accounts: string | string[], query: RawRuntimesQuery = {}): Promise<RuntimesPageDto> =>
    service.list({ account: accounts, ...query });
}
