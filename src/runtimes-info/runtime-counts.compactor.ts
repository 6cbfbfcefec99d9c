import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/app-config';

const JOB = 'runtime-counts-compaction';

/**
 * Folds the +1/-1 rows the database writes into `runtime_counts` on every state, plan or region change
 * (migration RuntimeCounts1796140800000) into one row per key, so that a `totalCount` sums a handful of
 * rows, not the history of changes. Runs at start-up and then on an interval, on every replica: a
 * transaction-scoped advisory lock makes a concurrent run a no-op, and one statement deletes the rows it
 * read and inserts their sums, so readers see the same totals before and after.
 */
@Injectable()
export class RuntimeCountsCompactor implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RuntimeCountsCompactor.name);
  private running?: Promise<number>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly scheduler: SchedulerRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    const runLogged = () =>
      void this.run().catch((err: unknown) =>
        this.logger.warn({ err: (err as Error).message }, 'folding runtime counts failed; will retry'),
      );
    runLogged();
    const interval = setInterval(runLogged, this.config.runtimesInfo.countsCompactIntervalMs);
    interval.unref();
    this.scheduler.addInterval(JOB, interval);
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.scheduler.doesExist('interval', JOB)) {
      this.scheduler.deleteInterval(JOB);
    }
    await this.running?.catch(() => undefined);
  }

  /** One run; resolves to the number of rows folded (0 when another replica was folding). */
  run(): Promise<number> {
    this.running ??= this.fold().finally(() => (this.running = undefined));
    return this.running;
  }

  private async fold(): Promise<number> {
    const rows = await this.dataSource.query<Array<{ folded: string }>>(
      `WITH turn AS (SELECT pg_try_advisory_xact_lock(hashtext('runtime_counts')) AS mine),
            folded AS (DELETE FROM runtime_counts WHERE (SELECT mine FROM turn) RETURNING *),
            sums AS (
              INSERT INTO runtime_counts
              SELECT runtime_state, plan_name, provider_region, platform_region, sum(runtimes)
                FROM folded GROUP BY 1, 2, 3, 4 HAVING sum(runtimes) <> 0
              RETURNING 1)
       SELECT (SELECT count(*) FROM folded) AS folded`,
    );
    return Number(rows[0].folded);
  }
}
