import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { Gauge } from 'prom-client';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { Clock } from '../common/clock';
import { BindingRepository } from '../bindings/binding.repository';
import { BindingsMetrics } from '../bindings/bindings.metrics';
import { BindingsService } from '../bindings/bindings.service';
import { MetricsRegistry } from '../metrics/metrics.registry';
import { BindingEntity } from '../persistence/binding.entity';
import { InstanceLifecycle } from '../provisioning/instance-lifecycle';
import { JobLeaseRepository } from './job-lease.repository';

const JOB = 'expired-bindings-cleanup';
const PARALLEL = 8;

export interface CleanupReport {
  ran: boolean;
  found: number;
  removed: number;
  failed: number;
  dryRun: boolean;
}

/**
 * Every N minutes (default 10) one replica revokes and deletes bindings whose expiry has passed, in
 * bounded batches. Revocation first, row second (as KEB's job does): a failed revocation keeps the row
 * and is retried next run. A missing runtime or missing objects count as revoked.
 */
@Injectable()
export class ExpiredBindingsCleanup implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ExpiredBindingsCleanup.name);
  private readonly owner = `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
  private readonly lastRunRemoved: Gauge;
  private running?: Promise<CleanupReport>;

  constructor(
    private readonly bindings: BindingRepository,
    private readonly service: BindingsService,
    private readonly lifecycle: InstanceLifecycle,
    private readonly leases: JobLeaseRepository,
    private readonly metrics: BindingsMetrics,
    private readonly scheduler: SchedulerRegistry,
    private readonly clock: Clock,
    registry: MetricsRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.lastRunRemoved = new Gauge({
      name: 'kyma_broker_cleanup_last_run_removed',
      help: 'Expired bindings removed by the last cleanup run',
      registers: [registry.registry],
    });
  }

  onApplicationBootstrap(): void {
    if (!this.config.cleanup.enabled) {
      return;
    }
    const interval = setInterval(() => void this.run(), this.config.cleanup.intervalMs);
    interval.unref();
    this.scheduler.addInterval(JOB, interval);
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.scheduler.doesExist('interval', JOB)) {
      this.scheduler.deleteInterval(JOB);
    }
    await this.running;
  }

  /** One run (also callable directly, e.g. by tests). Overlapping calls share the run in progress. */
  run(): Promise<CleanupReport> {
    this.running ??= this.runOnce().finally(() => (this.running = undefined));
    return this.running;
  }

  private async runOnce(): Promise<CleanupReport> {
    const { batchSize, dryRun, intervalMs } = this.config.cleanup;
    const report: CleanupReport = { ran: false, found: 0, removed: 0, failed: 0, dryRun };
    const now = this.clock.now();
    const leaseUntil = new Date(now.getTime() + Math.max(intervalMs, 60_000));
    if (!(await this.leases.acquire(JOB, this.owner, now, leaseUntil).catch(() => false))) {
      return report;
    }
    report.ran = true;
    try {
      const skipped = new Set<string>();
      for (;;) {
        const batch = (await this.bindings.listExpired(this.clock.now(), batchSize + skipped.size)).filter(
          (b) => !skipped.has(key(b)),
        );
        if (batch.length === 0) {
          break;
        }
        report.found += batch.length;
        if (dryRun) {
          break;
        }
        for (let i = 0; i < batch.length; i += PARALLEL) {
          const results = await Promise.all(batch.slice(i, i + PARALLEL).map((b) => this.remove(b)));
          results.forEach((ok, j) => {
            if (ok) {
              report.removed++;
            } else {
              report.failed++;
              skipped.add(key(batch[i + j]));
            }
          });
        }
      }
    } finally {
      await this.leases.release(JOB, this.owner).catch(() => undefined);
    }
    this.metrics.expiredRemoved.inc(report.removed);
    this.lastRunRemoved.set(report.removed);
    if (report.found > 0) {
      this.logger.log(
        report,
        dryRun ? 'expired bindings found (dry run: nothing removed)' : 'expired bindings cleaned up',
      );
    }
    return report;
  }

  private async remove(binding: BindingEntity): Promise<boolean> {
    try {
      const state = await this.lifecycle.state(binding.instanceId);
      if (state && state.phase !== 'deprovisioned' && state.phase !== 'deprovisioning') {
        await this.service.revoke(state.instance, binding);
      }
      await this.bindings.delete(binding.instanceId, binding.bindingId);
      return true;
    } catch (err) {
      this.logger.warn(
        { instanceId: binding.instanceId, bindingId: binding.bindingId, err: (err as Error).message },
        'could not revoke an expired binding; will retry on the next run',
      );
      return false;
    }
  }
}

function key(b: Pick<BindingEntity, 'instanceId' | 'bindingId'>): string {
  return `${b.instanceId}/${b.bindingId}`;
}
