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
import { InstanceLifecycle, InstanceState } from '../provisioning/instance-lifecycle';
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
    const interval = setInterval(
      () =>
        void this.run().catch((err: unknown) =>
          this.logger.warn({ err: (err as Error).message }, 'cleanup run failed; will retry on the next run'),
        ),
      this.config.cleanup.intervalMs,
    );
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
    const { batchSize, dryRun } = this.config.cleanup;
    const report: CleanupReport = { ran: false, found: 0, removed: 0, failed: 0, dryRun };
    if (!(await this.holdLease().catch(() => false))) {
      return report;
    }
    report.ran = true;
    try {
      const skipped = new Set<string>();
      for (;;) {
        // Renewed per batch: a replica killed mid-run holds the job for at most one lease (CLEANUP_LEASE_MS).
        if (!(await this.holdLease())) {
          break;
        }
        const cutoff = this.clock.now();
        const batch = (await this.bindings.listExpired(cutoff, batchSize + skipped.size)).filter(
          (b) => !skipped.has(key(b)),
        );
        if (batch.length === 0) {
          break;
        }
        report.found += batch.length;
        if (dryRun) {
          break;
        }
        // One state lookup per instance, revocations in parallel, then one DELETE for the batch.
        const states = new Map<string, Promise<InstanceState | undefined>>();
        const stateOf = (instanceId: string) => {
          let state = states.get(instanceId);
          if (!state) {
            state = this.lifecycle.state(instanceId);
            states.set(instanceId, state);
          }
          return state;
        };
        const revoked: BindingEntity[] = [];
        for (let i = 0; i < batch.length; i += PARALLEL) {
          const chunk = batch.slice(i, i + PARALLEL);
          const results = await Promise.all(chunk.map((b) => this.revoke(b, stateOf)));
          results.forEach((ok, j) => {
            if (ok) {
              revoked.push(chunk[j]);
            } else {
              report.failed++;
              skipped.add(key(chunk[j]));
            }
          });
        }
        report.removed += await this.bindings.deleteExpired(revoked, cutoff);
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

  /** Takes or extends this replica's lease on the job; false when another replica holds it. */
  private holdLease(): Promise<boolean> {
    const now = this.clock.now();
    return this.leases.acquire(JOB, this.owner, now, new Date(now.getTime() + this.config.cleanup.leaseMs));
  }

  /** Revokes the binding's cluster objects while its runtime lives; a runtime that is gone has none left. */
  private async revoke(
    binding: BindingEntity,
    stateOf: (instanceId: string) => Promise<InstanceState | undefined>,
  ): Promise<boolean> {
    try {
      const state = await stateOf(binding.instanceId);
      if (state && state.phase !== 'deprovisioned' && state.phase !== 'deprovisioning') {
        await this.service.revoke(state.instance, binding);
      }
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
