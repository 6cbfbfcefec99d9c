import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { Subscription } from 'rxjs';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { Clock } from '../common/clock';
import { BadRequestError, GoneError, NotFoundError, UnprocessableError } from '../common/domain-errors';
import { InstanceEvents } from '../common/instance-events';
import { describeKubeError } from '../gardener/kube-client';
import { BindingTarget, KUBECONFIG_STRATEGIES, KubeconfigStrategy } from '../kubeconfig/kubeconfig-strategy.port';
import { BindingEntity, BindingType } from '../persistence/binding.entity';
import { InstanceEntity } from '../persistence/instance.entity';
import { InstanceLifecycle } from '../provisioning/instance-lifecycle';
import {
  BindingBackendError,
  BindingConflictError,
  BindingLimitReachedError,
  BindingNotFoundError,
  BindingNotSupportedError,
  BindingTimeoutError,
} from './binding-errors';
import { effectiveBindingParameters, formatExpiresAt, parametersHash } from './binding-parameters';
import { BindingRepository } from './binding.repository';
import { BindingsMetrics } from './bindings.metrics';
import { KubeconfigCipher } from './kubeconfig-cipher';

export interface BindCommand {
  instanceId: string;
  bindingId: string;
  parameters?: unknown;
  context?: Record<string, unknown>;
  originatingUser?: string;
}

export interface BindingCredentials {
  credentials: { kubeconfig: string };
  metadata: { expires_at: string };
}

export interface BindAnswer {
  status: 200 | 201;
  body: BindingCredentials;
}

export interface BindingSummary {
  bindingId: string;
  createdAt: Date;
  expiresAt: Date;
  expirationSeconds: number;
  type: BindingType;
  ready: boolean;
}

/** Kubernetes object names are DNS subdomains; the binding id becomes part of them. */
const ROLLBACK_RETRY_DELAYS_MS = [250, 1000, 2500];
const BINDING_ID_PATTERN = /^[a-z0-9]([-a-z0-9.]{0,218}[a-z0-9])?$/;
const WAIT_STEP_MS = 50;

/** The bindings rules (KEB's, with its deviations from the OSB spec fixed; see docs/keb-compatibility.md). */
@Injectable()
export class BindingsService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(BindingsService.name);
  private subscription?: Subscription;

  constructor(
    private readonly bindings: BindingRepository,
    private readonly lifecycle: InstanceLifecycle,
    private readonly cipher: KubeconfigCipher,
    private readonly clock: Clock,
    private readonly events: InstanceEvents,
    private readonly metrics: BindingsMetrics,
    @Inject(KUBECONFIG_STRATEGIES) private readonly strategies: Map<BindingType, KubeconfigStrategy>,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    // Deprovisioning never waits on bindings: their rows go once the instance is gone.
    this.subscription = this.events.deprovisioned$.subscribe(({ instanceId }) => {
      this.bindings.deleteAllOf(instanceId).catch((err: unknown) => {
        this.logger.warn(
          { instanceId, err: (err as Error).message },
          'could not remove bindings of a deprovisioned instance',
        );
      });
    });
  }

  onModuleDestroy(): void {
    this.subscription?.unsubscribe();
  }

  async bind(cmd: BindCommand): Promise<BindAnswer> {
    const cfg = this.config.bindings;
    if (!cfg.enabled) {
      throw new BindingNotSupportedError('bindings are disabled on this broker');
    }
    this.checkBindingId(cmd.bindingId);
    const state = await this.lifecycle.state(cmd.instanceId);
    if (!state || state.phase === 'deprovisioned') {
      throw new NotFoundError('instance does not exist');
    }
    const { instance } = state;
    if (!this.isBindable(instance.planName)) {
      throw new BindingNotSupportedError();
    }
    const params = effectiveBindingParameters(cmd.parameters, cfg);
    switch (state.phase) {
      case 'provisioning':
        throw new BadRequestError(`instance ${instance.instanceId} creation is in progress`);
      case 'provision-failed':
        throw new BadRequestError(`instance ${instance.instanceId} creation failed`);
      case 'deprovisioning':
        throw new UnprocessableError(`instance ${instance.instanceId} is being deprovisioned; it cannot be bound`);
      case 'ready':
      case 'updating':
        break;
    }
    const hash = parametersHash(params);
    const deadline = this.clock.now().getTime() + cfg.createTimeoutMs;
    for (;;) {
      const now = this.clock.now();
      const candidate: BindingEntity = {
        instanceId: instance.instanceId,
        bindingId: cmd.bindingId,
        kubeconfigCiphertext: null,
        keyId: null,
        bindingType: params.strategy,
        expirationSeconds: params.expirationSeconds,
        parametersHash: hash,
        createdBy: this.createdBy(cmd),
        createdAt: now,
        // Provisional: replaced by the credential's real expiry once issued; a crashed creation expires with it.
        expiresAt: new Date(now.getTime() + params.expirationSeconds * 1000),
        state: 'creating',
      };
      const outcome = await this.bindings.reserve(candidate, cfg.maxBindingsCount, now);
      switch (outcome.kind) {
        case 'limit-reached':
          throw new BindingLimitReachedError(cfg.maxBindingsCount);
        case 'reserved':
          return { status: 201, body: await this.create(instance, candidate) };
        case 'existing': {
          const existing = outcome.binding;
          if (existing.parametersHash !== hash) {
            throw new BindingConflictError();
          }
          if (existing.state === 'ready') {
            return { status: 200, body: this.credentialsOf(existing) };
          }
          if (!this.isBeingCreated(existing, this.clock.now().getTime())) {
            // Left behind by a crashed replica: nothing is issuing it any more, so start over.
            await this.bindings.delete(existing.instanceId, existing.bindingId);
            continue;
          }
          // Another request is creating this very binding: wait for it and answer with its credentials.
          if (this.clock.now().getTime() > deadline) {
            throw new BindingTimeoutError(cfg.createTimeoutMs);
          }
          await new Promise((r) => setTimeout(r, WAIT_STEP_MS));
        }
      }
    }
  }

  async get(instanceId: string, bindingId: string): Promise<BindingCredentials> {
    const state = await this.lifecycle.state(instanceId);
    if (!state || state.phase === 'deprovisioning' || state.phase === 'deprovisioned') {
      throw new BindingNotFoundError();
    }
    const binding = await this.bindings.find(instanceId, bindingId);
    if (!binding) {
      throw new BindingNotFoundError();
    }
    if (binding.expiresAt <= this.clock.now()) {
      throw new BindingNotFoundError('Binding expired');
    }
    if (binding.state !== 'ready') {
      throw new BindingNotFoundError('Binding creation in progress');
    }
    return this.credentialsOf(binding);
  }

  async lastOperation(instanceId: string, bindingId: string): Promise<{ state: string; description: string }> {
    const binding = await this.bindings.find(instanceId, bindingId);
    if (!binding) {
      throw new BindingNotFoundError();
    }
    return binding.state === 'ready'
      ? { state: 'succeeded', description: 'binding created' }
      : { state: 'in progress', description: 'binding creation in progress' };
  }

  async unbind(instanceId: string, bindingId: string): Promise<void> {
    const state = await this.lifecycle.state(instanceId);
    if (!state || state.phase === 'deprovisioned') {
      // The instance is gone: drop the orphaned row, answer as for an unknown binding.
      await this.bindings.delete(instanceId, bindingId);
      throw new GoneError('instance does not exist');
    }
    const binding = await this.settledBinding(instanceId, bindingId);
    if (!binding) {
      throw new GoneError('binding does not exist');
    }
    // A runtime being deleted takes the credentials with it.
    if (state.phase !== 'deprovisioning') {
      await this.revoke(state.instance, binding);
    }
    await this.bindings.delete(instanceId, bindingId);
    this.metrics.revoked.inc();
  }

  /**
   * The binding once no request is creating it any more: an unbind that deleted a binding half-way through
   * its creation would race the creator's calls to the runtime and leave objects behind.
   */
  private async settledBinding(instanceId: string, bindingId: string): Promise<BindingEntity | null> {
    const timeoutMs = this.config.bindings.createTimeoutMs;
    const deadline = this.clock.now().getTime() + timeoutMs;
    for (;;) {
      const binding = await this.bindings.find(instanceId, bindingId);
      const now = this.clock.now().getTime();
      if (!binding || !this.isBeingCreated(binding, now)) {
        return binding;
      }
      if (now > deadline) {
        throw new BindingTimeoutError(timeoutMs);
      }
      await new Promise((r) => setTimeout(r, WAIT_STEP_MS));
    }
  }

  /**
   * Whether some request may still be creating this row: it is not ready and not abandoned (expired, as a
   * rollback that could not reach the runtime leaves it, or older than any creation may take).
   */
  private isBeingCreated(binding: BindingEntity, nowMs: number): boolean {
    return (
      binding.state === 'creating' &&
      binding.expiresAt.getTime() > nowMs &&
      binding.createdAt.getTime() + 2 * this.config.bindings.createTimeoutMs > nowMs
    );
  }

  async list(instanceId: string): Promise<BindingSummary[]> {
    const rows = await this.bindings.listOf(instanceId);
    return rows.map((b) => ({
      bindingId: b.bindingId,
      createdAt: b.createdAt,
      expiresAt: b.expiresAt,
      expirationSeconds: b.expirationSeconds,
      type: b.bindingType,
      ready: b.state === 'ready',
    }));
  }

  /** Revokes the cluster objects of a binding (tolerating a missing runtime is the caller's call). */
  async revoke(instance: InstanceEntity, binding: Pick<BindingEntity, 'bindingId' | 'bindingType'>): Promise<void> {
    const strategy = this.strategyOf(binding.bindingType);
    try {
      await strategy.revoke(this.target(instance, binding.bindingId));
    } catch (err) {
      throw new BindingBackendError(
        `failed to delete resources for binding ${binding.bindingId} and instance ${instance.instanceId}: ${describeKubeError(err)}`,
      );
    }
  }

  isBindable(planName: string): boolean {
    const plans = this.config.bindings.bindablePlans;
    return (
      this.config.broker.enabledPlans.includes(planName) &&
      (plans.includes('*') || plans.some((p) => p.toLowerCase() === planName.toLowerCase()))
    );
  }

  private async create(instance: InstanceEntity, row: BindingEntity): Promise<BindingCredentials> {
    const strategy = this.strategyOf(row.bindingType);
    const target = this.target(instance, row.bindingId);
    const timeoutMs = this.config.bindings.createTimeoutMs;
    const issuing = strategy.issue(target, row.expirationSeconds);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new BindingTimeoutError(timeoutMs)), timeoutMs);
    });
    try {
      const issued = await Promise.race([issuing, timeout]);
      const sealed = this.cipher.seal(issued.kubeconfig, this.aad(row));
      await this.bindings.markReady(row.instanceId, row.bindingId, {
        kubeconfigCiphertext: sealed.ciphertext,
        keyId: sealed.keyId,
        expiresAt: issued.expiresAt,
      });
      this.metrics.created.inc({ type: row.bindingType });
      return {
        credentials: { kubeconfig: issued.kubeconfig },
        metadata: { expires_at: formatExpiresAt(issued.expiresAt) },
      };
    } catch (err) {
      // Roll back: whatever got created on the runtime goes, and the row with it, so a retry starts clean.
      // If the runtime refuses the rollback too, the row stays, marked expired: the platform's orphan-
      // mitigation DELETE, a rebind of the id or the cleanup job then removes the objects it stands for.
      this.metrics.failed.inc({ type: row.bindingType });
      void issuing
        .catch(() => undefined)
        .then(() => this.revokeWithRetries(strategy, target))
        .then(
          () => this.bindings.delete(row.instanceId, row.bindingId),
          async (e: unknown) => {
            const now = await this.lifecycle.state(row.instanceId);
            if (!now || now.phase === 'deprovisioning' || now.phase === 'deprovisioned') {
              // The runtime is going or gone, and its objects with it.
              return this.bindings.delete(row.instanceId, row.bindingId);
            }
            this.logger.warn(
              { bindingId: row.bindingId, err: describeKubeError(e) },
              'rollback of a failed bind could not reach the runtime; the binding is left expired for a later revoke',
            );
            return this.bindings.markAbandoned(row.instanceId, row.bindingId);
          },
        )
        .catch(() => undefined);
      if (err instanceof BindingTimeoutError) {
        throw err;
      }
      throw new BindingBackendError(`failed to create a Kyma binding: ${describeKubeError(err)}`);
    } finally {
      clearTimeout(timer);
    }
  }

  /** A rollback outlives a short runtime hiccup: a few attempts, backing off, before giving up. */
  private async revokeWithRetries(strategy: KubeconfigStrategy, target: BindingTarget): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await strategy.revoke(target);
        return;
      } catch (err) {
        if (attempt >= ROLLBACK_RETRY_DELAYS_MS.length) {
          throw err;
        }
        await new Promise((r) => setTimeout(r, ROLLBACK_RETRY_DELAYS_MS[attempt]));
      }
    }
  }

  private credentialsOf(binding: BindingEntity): BindingCredentials {
    const kubeconfig = this.cipher.open(
      { ciphertext: binding.kubeconfigCiphertext ?? '', keyId: binding.keyId ?? '' },
      this.aad(binding),
    );
    return { credentials: { kubeconfig }, metadata: { expires_at: formatExpiresAt(binding.expiresAt) } };
  }

  private aad(binding: Pick<BindingEntity, 'instanceId' | 'bindingId'>): string {
    return `${binding.instanceId}/${binding.bindingId}`;
  }

  private target(instance: InstanceEntity, bindingId: string): BindingTarget {
    const name =
      typeof instance.parameters.name === 'string' && instance.parameters.name
        ? instance.parameters.name
        : instance.shootName;
    return { instanceId: instance.instanceId, shootName: instance.shootName, runtimeName: name, bindingId };
  }

  private strategyOf(type: BindingType): KubeconfigStrategy {
    const strategy = this.strategies.get(type);
    if (!strategy) {
      throw new Error(`no kubeconfig strategy for binding type ${type}`);
    }
    return strategy;
  }

  private checkBindingId(bindingId: string): void {
    if (!BINDING_ID_PATTERN.test(bindingId)) {
      throw new BadRequestError(
        'binding_id must be lowercase letters, digits, "-" or "." (at most 220 characters, starting and ending alphanumeric): it names Kubernetes objects',
      );
    }
  }

  /** KEB: context.email, else context.origin; we fall back to the platform's originating identity. */
  private createdBy(cmd: BindCommand): string {
    const ctx = cmd.context ?? {};
    const pick = (v: unknown) => (typeof v === 'string' ? v : '');
    return pick(ctx.email) || pick(ctx.origin) || cmd.originatingUser || '';
  }
}
