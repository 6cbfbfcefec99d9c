import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { Clock } from '../common/clock';
import { OperationEntity } from '../persistence/operation.entity';
import { InstanceRepository } from './instance.repository';
import { OperationRepository } from './operation.repository';
import { StepOutcome } from './workflow';
import { Workflows } from './workflows';
import { ProvisioningMetrics } from './provisioning.metrics';

const MAX_IN_FLIGHT = 4;

/**
 * Runs operations step by step from the database. Every step's outcome is persisted before the next
 * one starts, so a restarted (or another) replica resumes where the last one stopped. Operations are
 * claimed with a lease (FOR UPDATE SKIP LOCKED + expiry), so no step runs twice at once.
 */
@Injectable()
export class ProvisioningEngine implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ProvisioningEngine.name);
  readonly owner = `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
  private readonly inFlight = new Map<string, Promise<void>>();
  private timer?: NodeJS.Timeout;
  private stopped = true;
  /** The claiming loop in progress, if any: stop() waits for it, or a step claimed meanwhile would outlive it. */
  private ticking?: Promise<void>;

  constructor(
    private readonly operations: OperationRepository,
    private readonly instances: InstanceRepository,
    private readonly workflows: Workflows,
    private readonly clock: Clock,
    private readonly metrics: ProvisioningMetrics,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  start(): void {
    if (!this.stopped) {
      return;
    }
    this.stopped = false;
    this.schedule(0);
  }

  /** Stops claiming work and waits for the steps in flight (they are short; a lease covers a crash). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.ticking;
    await Promise.allSettled([...this.inFlight.values()]);
  }

  /** Wakes the loop now (after a new operation was accepted) instead of at the next interval. */
  poke(): void {
    if (!this.stopped) {
      this.schedule(0);
    }
  }

  private schedule(ms: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.tick(), ms);
    this.timer.unref();
  }

  private tick(): Promise<void> {
    if (this.stopped || this.ticking) {
      return Promise.resolve();
    }
    this.ticking = this.claimAndRun().finally(() => {
      this.ticking = undefined;
      if (!this.stopped) {
        this.schedule(this.config.provisioning.workerIntervalMs);
      }
    });
    return this.ticking;
  }

  private async claimAndRun(): Promise<void> {
    try {
      while (!this.stopped && this.inFlight.size < MAX_IN_FLIGHT) {
        const now = this.clock.now();
        const op = await this.operations.claimNext(
          this.owner,
          now,
          new Date(now.getTime() + this.config.provisioning.leaseMs),
          [...this.inFlight.keys()],
        );
        if (!op) {
          break;
        }
        const run = this.runStep(op)
          .catch((err: unknown) => {
            // The step's own reads or writes failed (e.g. the database went away): nothing was recorded,
            // so the operation runs again from its last saved step once its lease expires.
            this.logger.warn({ operationId: op.id, err: (err as Error).message }, 'step not recorded; will retry');
          })
          .finally(() => {
            this.inFlight.delete(op.id);
            this.poke();
          });
        this.inFlight.set(op.id, run);
      }
    } catch (err) {
      this.logger.warn({ err: (err as Error).message }, 'could not claim operations; will retry');
    }
  }

  private async runStep(op: OperationEntity): Promise<void> {
    const now = this.clock.now();
    const instance = await this.instances.find(op.instanceId);
    if (!instance) {
      await this.finish(op, 'failed', 'instance record is missing');
      return;
    }
    if (now.getTime() - op.createdAt.getTime() > this.config.provisioning.operationTimeoutMs) {
      await this.finish(op, 'failed', `operation timed out after ${this.config.provisioning.operationTimeoutMs} ms`);
      return;
    }
    const workflow = this.workflows.of(op.type);
    const stepName = op.step || workflow.firstStep;
    const step = workflow.steps[stepName];
    if (!step) {
      await this.finish(op, 'failed', `unknown step "${stepName}"`);
      return;
    }
    let outcome: StepOutcome;
    try {
      outcome = await step({ operation: { ...op, step: stepName }, instance });
    } catch (err) {
      await this.retryOrFail(op, stepName, err);
      return;
    }
    await this.apply(op, stepName, outcome);
  }

  private async apply(op: OperationEntity, stepName: string, outcome: StepOutcome): Promise<void> {
    const now = this.clock.now();
    switch (outcome.kind) {
      case 'next':
        await this.save(op, {
          state: 'in progress',
          step: outcome.step,
          attempts: 0,
          description: outcome.description ?? op.description,
          data: outcome.data ? { ...op.data, ...outcome.data } : op.data,
          nextAttemptAt: now,
          updatedAt: now,
        });
        return;
      case 'wait':
        await this.save(op, {
          state: 'in progress',
          step: stepName,
          description: outcome.description ?? op.description,
          nextAttemptAt: new Date(now.getTime() + outcome.afterMs),
          updatedAt: now,
        });
        return;
      case 'done':
        await this.finish(op, 'succeeded', outcome.description);
        return;
      case 'fail':
        await this.finish(op, 'failed', outcome.description);
        return;
    }
  }

  private async retryOrFail(op: OperationEntity, stepName: string, err: unknown): Promise<void> {
    const attempts = op.attempts + 1;
    const message = err instanceof Error ? err.message : String(err);
    const { maxStepAttempts, stepRetryBaseMs, stepRetryMaxMs } = this.config.provisioning;
    if (attempts >= maxStepAttempts) {
      this.logger.error({ operationId: op.id, step: stepName, attempts }, 'step failed for good');
      await this.finish(op, 'failed', `step ${stepName} failed after ${attempts} attempts: ${message}`);
      return;
    }
    const delay = Math.min(stepRetryBaseMs * 2 ** (attempts - 1), stepRetryMaxMs);
    this.logger.warn(
      { operationId: op.id, step: stepName, attempts, retryInMs: delay, err: message },
      'step failed; retrying',
    );
    const now = this.clock.now();
    await this.save(op, {
      state: 'in progress',
      step: stepName,
      attempts,
      description: `retrying ${stepName} (attempt ${attempts + 1} of ${maxStepAttempts})`,
      nextAttemptAt: new Date(now.getTime() + delay),
      updatedAt: now,
    });
  }

  private async finish(op: OperationEntity, state: 'succeeded' | 'failed', description: string): Promise<void> {
    const now = this.clock.now();
    const saved = await this.save(op, { state, step: '', description, updatedAt: now, finishedAt: now });
    if (saved) {
      this.metrics.operationFinished(op.type, state);
      this.logger.log({ operationId: op.id, instanceId: op.instanceId, type: op.type, state }, 'operation finished');
    }
  }

  private async save(op: OperationEntity, patch: Partial<OperationEntity>): Promise<boolean> {
    const saved = await this.operations.saveAndRelease(this.owner, op.id, patch);
    if (!saved) {
      this.logger.warn({ operationId: op.id }, 'lease lost; another replica owns the operation now');
    }
    return saved;
  }
}
