import type { SimulatorClock } from './clock';
import { rfc3339 } from './clock';
import type { Faults } from './faults';
import { asString, dig, isRecord, JsonObject } from './json';
import { SHOOTS } from './resources';
import type { RestHooks } from './rest';
import { FieldError, forbidden, invalid } from './status';
import type { KubeObject, ObjectStore } from './store';

/** A running shoot API server, as the lifecycle sees it. */
export interface RuntimeHandle {
  url: string;
  stop(): Promise<void>;
  /** Applies the shoot's current spec (OIDC settings) after a reconcile. */
  reconcile(shoot: KubeObject): void;
}

/** Starts and prepares runtimes; the landscape provides it, so this file knows nothing of PKI or HTTP. */
export interface RuntimeProvider {
  /** Called at shoot creation so slow preparation (key generation) overlaps the creation delay. */
  prepare(shoot: KubeObject): void;
  start(shoot: KubeObject): Promise<RuntimeHandle>;
  discard(shoot: KubeObject): void;
}

export interface ShootLifecycleOptions {
  store: ObjectStore;
  clock: SimulatorClock;
  faults: Faults;
  runtimes: RuntimeProvider;
  createDelayMs: number;
  deleteDelayMs: number;
  reconcileDelayMs: number;
}

export const FAIL_CREATE_ANNOTATION = 'simulator.kyma-broker.io/fail-create';
export const CONFIRM_DELETION_ANNOTATION = 'confirmation.gardener.cloud/deletion';
const STATUS_LABEL = 'shoot.gardener.cloud/status';
const CONDITION_TYPES = [
  'APIServerAvailable',
  'ControlPlaneHealthy',
  'ObservabilityComponentsHealthy',
  'EveryNodeReady',
  'SystemComponentsHealthy',
];

type OperationType = 'Create' | 'Reconcile' | 'Delete';

interface Operation {
  type: OperationType;
  timers: NodeJS.Timeout[];
  /** Set while `stuckShoots` holds the operation back at its last step. */
  parked: boolean;
}

/** strconv.ParseBool, which Gardener uses for the confirmation annotation. */
function parseBool(value: string | undefined): boolean {
  return ['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value ?? '');
}

function key(shoot: KubeObject): string {
  return `${shoot.metadata.namespace ?? ''}/${shoot.metadata.name}`;
}

/**
 * The part of Gardener that makes shoots happen: lastOperation moves Create → Processing → Succeeded
 * (starting the runtime's API server just before), Reconcile after spec changes, and Delete after a
 * confirmed deletion, each after a configurable delay on real timers. Faults can hold operations
 * (stuckShoots); an annotation makes creation fail.
 */
export class ShootLifecycle {
  private readonly operations = new Map<string, Operation>();
  private readonly running = new Map<string, { namespace: string; name: string; handle: RuntimeHandle }>();
  private readonly unsubscribe: () => void;
  private stopped = false;

  constructor(private readonly opts: ShootLifecycleOptions) {
    // Operations parked by stuckShoots continue as soon as the fault is lifted.
    this.unsubscribe = opts.faults.onChange(() => {
      if (!opts.faults.shootsStuck()) {
        for (const [k, op] of this.operations) {
          if (op.parked) {
            op.parked = false;
            this.finish(k, op);
          }
        }
      }
    });
  }

  runtimes(): Array<{ namespace: string; shootName: string; url: string }> {
    return [...this.running.values()].map((r) => ({ namespace: r.namespace, shootName: r.name, url: r.handle.url }));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe();
    for (const op of this.operations.values()) {
      op.timers.forEach(clearTimeout);
    }
    this.operations.clear();
    const handles = [...this.running.values()].map((r) => r.handle);
    this.running.clear();
    await Promise.all(handles.map((h) => h.stop()));
  }

  hooks(): RestHooks {
    return {
      prepareCreate: (shoot) => this.prepareCreate(shoot),
      afterCreate: (shoot) => {
        this.opts.store.mutate(SHOOTS, shoot.metadata.namespace, shoot.metadata.name, (s) => {
          (s.status as JsonObject).uid = s.metadata.uid;
        });
        this.opts.runtimes.prepare(shoot);
        this.begin(shoot, 'Create', this.opts.createDelayMs);
      },
      prepareUpdate: (current, next) => {
        // status is a subresource: writes to the main resource never change it.
        next.status = current.status;
        next.metadata.generation = current.metadata.generation;
        if (JSON.stringify(current.spec) !== JSON.stringify(next.spec)) {
          if (current.metadata.deletionTimestamp) {
            throw forbidden(
              { group: SHOOTS.group, resource: SHOOTS.resource },
              current.metadata.name,
              'cannot update shoot spec if deletion timestamp is set. Requested changes: spec',
            );
          }
          next.metadata.generation = (current.metadata.generation ?? 1) + 1;
        }
      },
      afterUpdate: (previous, updated) => {
        if (updated.metadata.generation !== previous.metadata.generation && !this.operations.has(key(updated))) {
          this.begin(updated, 'Reconcile', this.opts.reconcileDelayMs);
        }
      },
      delete: (shoot) => this.requestDeletion(shoot),
    };
  }

  private prepareCreate(shoot: KubeObject): void {
    const namespace = shoot.metadata.namespace ?? '';
    const project = namespace.replace(/^garden-/, '');
    const spec = isRecord(shoot.spec) ? shoot.spec : {};
    const errors: FieldError[] = [];
    if (!isRecord(spec.provider) || !asString(spec.provider.type)) {
      errors.push({ field: 'spec.provider.type', value: '', detail: 'must specify a provider type', type: 'Required' });
    }
    if (!asString(spec.region)) {
      errors.push({ field: 'spec.region', value: '', detail: 'must specify a region', type: 'Required' });
    }
    if (errors.length) {
      throw invalid(SHOOTS.group, SHOOTS.kind, shoot.metadata.name, errors);
    }
    shoot.spec = { ...spec, seedName: asString(spec.seedName) ?? `sim-${asString(spec.region) ?? 'seed'}` };
    shoot.metadata.generation = 1;
    shoot.metadata.finalizers = ['gardener'];
    shoot.metadata.labels = { ...(shoot.metadata.labels ?? {}), [STATUS_LABEL]: 'progressing' };
    const now = rfc3339(this.opts.clock.now());
    // Whatever status the client sent is discarded, as the real strategy does.
    shoot.status = {
      lastOperation: this.operation('Create', 'Processing', 0, now),
      conditions: CONDITION_TYPES.map((type) => ({
        type,
        status: 'Progressing',
        lastTransitionTime: now,
        lastUpdateTime: now,
        reason: 'ConditionInitialized',
        message: 'The condition has been initialized but its semantic check has not been performed yet.',
      })),
      technicalID: `shoot--${project}--${shoot.metadata.name}`,
      gardener: { id: 'gardener-simulator', name: 'gardener-simulator', version: 'v1.110.0' },
      hibernated: false,
      observedGeneration: 1,
      seedName: asString(dig(shoot.spec, 'seedName')),
    };
  }

  private operation(
    type: OperationType,
    state: string,
    progress: number,
    at: string,
    description?: string,
  ): JsonObject {
    const text: Record<string, string> = {
      Create: 'Create of Shoot cluster in progress.',
      Reconcile: 'Reconciliation of Shoot cluster in progress.',
      Delete: 'Deletion of Shoot cluster in progress.',
    };
    return { type, state, progress, lastUpdateTime: at, description: description ?? text[type] };
  }

  private requestDeletion(shoot: KubeObject): KubeObject {
    if (!parseBool(shoot.metadata.annotations?.[CONFIRM_DELETION_ANNOTATION])) {
      throw forbidden(
        { group: SHOOTS.group, resource: SHOOTS.resource },
        shoot.metadata.name,
        `must have a "${CONFIRM_DELETION_ANNOTATION}" annotation to delete`,
      );
    }
    if (shoot.metadata.deletionTimestamp) {
      return shoot;
    }
    const current = this.operations.get(key(shoot));
    current?.timers.forEach(clearTimeout);
    this.operations.delete(key(shoot));
    const now = rfc3339(this.opts.clock.now());
    const updated = this.opts.store.mutate(SHOOTS, shoot.metadata.namespace, shoot.metadata.name, (s) => {
      s.metadata.deletionTimestamp = now;
    });
    return this.begin(updated, 'Delete', this.opts.deleteDelayMs);
  }

  private setStatus(
    k: string,
    change: (shoot: KubeObject, status: JsonObject, now: string) => void,
  ): KubeObject | undefined {
    const [namespace, name] = k.split('/');
    if (!this.opts.store.peek(SHOOTS, namespace, name)) {
      return undefined;
    }
    return this.opts.store.mutate(SHOOTS, namespace, name, (s) => {
      const status = isRecord(s.status) ? s.status : {};
      s.status = status;
      change(s, status, rfc3339(this.opts.clock.now()));
    });
  }

  /** Starts an operation: Processing now, progress ticks at quarters of the delay, completion at the end. */
  private begin(shoot: KubeObject, type: OperationType, delayMs: number): KubeObject {
    const k = key(shoot);
    const op: Operation = { type, timers: [], parked: false };
    this.operations.set(k, op);
    const updated =
      this.setStatus(k, (s, status, now) => {
        status.lastOperation = this.operation(type, 'Processing', 0, now);
        s.metadata.labels = { ...(s.metadata.labels ?? {}), [STATUS_LABEL]: 'progressing' };
      }) ?? shoot;
    if (delayMs > 0) {
      for (const progress of [25, 50, 75]) {
        op.timers.push(
          setTimeout(
            () => {
              this.setStatus(k, (_s, status, now) => {
                status.lastOperation = this.operation(type, 'Processing', progress, now);
              });
            },
            (delayMs * progress) / 100,
          ),
        );
      }
    }
    op.timers.push(setTimeout(() => this.finish(k, op), delayMs));
    return updated;
  }

  private finish(k: string, op: Operation): void {
    if (this.stopped || this.operations.get(k) !== op) {
      return;
    }
    if (this.opts.faults.shootsStuck()) {
      op.parked = true;
      return;
    }
    void this.complete(k, op).catch((err: unknown) => {
      // A runtime that cannot start (e.g. no free port) is reported like a Gardener error and retried.
      this.setStatus(k, (_s, status, now) => {
        status.lastOperation = this.operation(op.type, 'Error', 90, now, `simulator: ${(err as Error).message}`);
      });
      op.timers.push(setTimeout(() => this.finish(k, op), 500));
    });
  }

  private async complete(k: string, op: Operation): Promise<void> {
    const [namespace, name] = k.split('/');
    const shoot = this.opts.store.get(SHOOTS, namespace, name);
    if (!shoot) {
      this.operations.delete(k);
      return;
    }
    if (op.type === 'Delete') {
      this.operations.delete(k);
      const running = this.running.get(k);
      this.running.delete(k);
      this.opts.runtimes.discard(shoot);
      await running?.handle.stop();
      if (this.opts.store.peek(SHOOTS, namespace, name)) {
        this.opts.store.delete(SHOOTS, namespace, name);
      }
      return;
    }
    if (op.type === 'Create' && parseBool(shoot.metadata.annotations?.[FAIL_CREATE_ANNOTATION])) {
      this.operations.delete(k);
      this.setStatus(k, (s, status, now) => {
        const description = `Simulated failure: the ${FAIL_CREATE_ANNOTATION} annotation asked shoot creation to fail.`;
        status.lastOperation = this.operation('Create', 'Failed', 50, now, description);
        status.lastErrors = [{ description, codes: ['ERR_INFRA_UNAUTHORIZED'], lastUpdateTime: now }];
        status.conditions = this.conditions('False', now);
        s.metadata.labels = { ...(s.metadata.labels ?? {}), [STATUS_LABEL]: 'unhealthy' };
      });
      return;
    }
    let running = this.running.get(k);
    if (!running) {
      const handle = await this.opts.runtimes.start(shoot);
      // The shoot may have been deleted (or the landscape stopped) while its API server was starting.
      if (this.stopped || this.operations.get(k) !== op) {
        await handle.stop();
        return;
      }
      running = { namespace, name, handle };
      this.running.set(k, running);
    } else {
      running.handle.reconcile(shoot);
    }
    this.operations.delete(k);
    const url = running.handle.url;
    this.setStatus(k, (s, status, now) => {
      status.lastOperation = this.operation(
        op.type,
        'Succeeded',
        100,
        now,
        `${op.type === 'Create' ? 'Shoot cluster has been successfully created' : 'Shoot cluster has been successfully reconciled'}.`,
      );
      status.advertisedAddresses = [{ name: 'external', url }];
      status.conditions = this.conditions('True', now);
      status.observedGeneration = s.metadata.generation;
      delete status.lastErrors;
      s.metadata.labels = { ...(s.metadata.labels ?? {}), [STATUS_LABEL]: 'healthy' };
    });
  }

  private conditions(state: 'True' | 'False', now: string): JsonObject[] {
    return CONDITION_TYPES.map((type) => ({
      type,
      status: state,
      lastTransitionTime: now,
      lastUpdateTime: now,
      reason: state === 'True' ? `${type}` : 'ShootCreationFailed',
      message: state === 'True' ? 'All checks passed.' : 'Shoot creation failed.',
    }));
  }
}
