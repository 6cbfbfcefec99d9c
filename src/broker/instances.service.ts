import { randomBytes, randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { CatalogService } from '../catalog/catalog.service';
import { Clock } from '../common/clock';
import {
  AsyncRequiredError,
  BadRequestError,
  ConcurrencyError,
  ConflictError,
  GoneError,
  NotFoundError,
  UnprocessableError,
} from '../common/domain-errors';
import { isUniqueViolation } from '../common/db-errors';
import { InstanceEntity } from '../persistence/instance.entity';
import { OperationEntity, OperationType } from '../persistence/operation.entity';
import { InstanceRepository } from '../provisioning/instance.repository';
import { OperationRepository } from '../provisioning/operation.repository';
import { ProvisioningEngine } from '../provisioning/provisioning-engine';
import type { UpdateRequestData } from '../provisioning/workflows';
import { PlatformRegions } from './platform-regions';

export interface ProvisionCommand {
  region?: string;
  instanceId: string;
  acceptsIncomplete: boolean;
  serviceId: string;
  planId: string;
  parameters?: Record<string, unknown>;
  context?: Record<string, unknown>;
  originatingUser?: string;
}

export interface UpdateCommand {
  region?: string;
  instanceId: string;
  acceptsIncomplete: boolean;
  serviceId: string;
  planId?: string;
  parameters?: Record<string, unknown>;
  context?: Record<string, unknown>;
}

export interface OperationAnswer {
  /** 200 (already there, nothing to do) or 202 (operation accepted/in progress). */
  status: 200 | 202;
  body: { operation?: string; dashboard_url?: string };
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** KEB-style shoot names: short, DNS-safe, random. */
function newShootName(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return `c-${[...randomBytes(7)].map((b) => alphabet[b % alphabet.length]).join('')}`;
}

/** The OSB service-instance rules: provision, update, deprovision, fetch and poll. */
@Injectable()
export class InstancesService {
  constructor(
    private readonly catalog: CatalogService,
    private readonly regions: PlatformRegions,
    private readonly instances: InstanceRepository,
    private readonly operations: OperationRepository,
    private readonly engine: ProvisioningEngine,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async provision(cmd: ProvisionCommand): Promise<OperationAnswer> {
    const platformRegion = this.regions.resolve(cmd.region);
    if (!cmd.acceptsIncomplete) {
      throw new AsyncRequiredError();
    }
    this.checkServiceAndPlan(cmd.serviceId, cmd.planId, platformRegion);
    this.checkParametersSize(cmd.parameters);
    const validated = this.catalog.validateProvisioning(cmd.planId, platformRegion, cmd.parameters ?? {});
    const plan = this.catalog.findPlanById(cmd.planId)!;
    const context = cmd.context ?? {};

    const existing = await this.instances.find(cmd.instanceId);
    if (existing) {
      return this.repeatedProvision(existing, cmd, validated.parameters);
    }
    const now = this.clock.now();
    const instance: InstanceEntity = {
      instanceId: cmd.instanceId,
      runtimeId: randomUUID(),
      globalAccountId: str(context.globalaccount_id),
      subaccountId: str(context.subaccount_id),
      serviceId: cmd.serviceId,
      planId: cmd.planId,
      planName: plan.name,
      platformRegion,
      providerRegion: validated.providerRegion,
      provider: validated.provider,
      euAccess: validated.euAccess,
      shootName: newShootName(),
      parameters: validated.parameters,
      context,
      createdBy: cmd.originatingUser || str(context.user_id),
      dashboardUrl: '',
      apiServerUrl: '',
      createdAt: now,
      updatedAt: now,
      deletedAt: null,
    };
    instance.dashboardUrl = `https://dashboard.kyma.local/?runtime=${instance.runtimeId}`;
    const operation = this.newOperation(instance.instanceId, 'provision', now, 'provisioning accepted');
    try {
      await this.instances.insertWithOperation(instance, operation);
    } catch (err) {
      if (isUniqueViolation(err)) {
        // A concurrent PUT with the same id won the race: answer as for a repeated request.
        const winner = await this.instances.find(cmd.instanceId);
        if (winner) {
          return this.repeatedProvision(winner, cmd, validated.parameters);
        }
      }
      throw err;
    }
    this.engine.poke();
    return { status: 202, body: { operation: operation.id, dashboard_url: instance.dashboardUrl } };
  }

  /** Same id again: identical → the operation in flight (202) or done (200); different → 409. */
  private async repeatedProvision(
    existing: InstanceEntity,
    cmd: ProvisionCommand,
    parameters: Record<string, unknown>,
  ): Promise<OperationAnswer> {
    const context = cmd.context ?? {};
    const identical =
      existing.deletedAt === null &&
      existing.serviceId === cmd.serviceId &&
      existing.planId === cmd.planId &&
      isDeepStrictEqual(existing.parameters, parameters) &&
      existing.globalAccountId === str(context.globalaccount_id) &&
      existing.subaccountId === str(context.subaccount_id);
    if (!identical) {
      throw new ConflictError(
        existing.deletedAt
          ? `instance ${existing.instanceId} was deprovisioned; instance ids cannot be reused`
          : `instance ${existing.instanceId} already exists with different attributes`,
      );
    }
    const last = await this.operations.last(existing.instanceId, 'provision');
    if (last && (last.state === 'pending' || last.state === 'in progress' || last.state === 'failed')) {
      return { status: 202, body: { operation: last.id, dashboard_url: existing.dashboardUrl } };
    }
    return { status: 200, body: { dashboard_url: existing.dashboardUrl } };
  }

  async update(cmd: UpdateCommand): Promise<OperationAnswer> {
    const platformRegion = this.regions.resolve(cmd.region);
    if (cmd.serviceId !== this.catalog.serviceId) {
      throw new BadRequestError(`service_id ${cmd.serviceId} is not in the catalog`);
    }
    this.checkParametersSize(cmd.parameters);
    return this.instances
      .withLockedInstance(cmd.instanceId, async (tx, instance): Promise<OperationAnswer> => {
        if (!instance || instance.deletedAt) {
          throw new NotFoundError('instance does not exist');
        }
        const active = await this.operations.active(instance.instanceId, tx);
        if (active.some((op) => op.type === 'deprovision')) {
          throw new UnprocessableError('instance is being deprovisioned');
        }
        if (active.length > 0) {
          throw new ConcurrencyError(
            `another operation (${active[0].type}) is in progress for instance ${instance.instanceId}`,
          );
        }
        const targetPlanId = cmd.planId ?? instance.planId;
        const targetPlan = this.catalog.findPlanById(targetPlanId);
        if (!targetPlan) {
          throw new BadRequestError(`plan_id ${targetPlanId} is not in the catalog`);
        }
        const planChanges = targetPlanId !== instance.planId;
        if (planChanges && !this.catalog.canUpdatePlan(instance.planName, targetPlan.name)) {
          throw new UnprocessableError(`plan update from ${instance.planName} to ${targetPlan.name} is not allowed`);
        }
        const parametersGiven = cmd.parameters !== undefined && Object.keys(cmd.parameters).length > 0;
        const now = this.clock.now();
        if (!planChanges && !parametersGiven) {
          // Context-only update (e.g. a renamed global account): applied synchronously.
          if (cmd.context) {
            await this.instances.update(
              instance.instanceId,
              { context: { ...instance.context, ...cmd.context }, updatedAt: now },
              tx,
            );
          }
          return { status: 200 as const, body: {} };
        }
        if (!cmd.acceptsIncomplete) {
          throw new AsyncRequiredError();
        }
        const validated = parametersGiven
          ? this.catalog.validateUpdate(targetPlanId, instance.platformRegion || platformRegion, cmd.parameters ?? {})
          : undefined;
        const data: UpdateRequestData = {
          ...(planChanges ? { planId: targetPlanId, planName: targetPlan.name } : {}),
          ...(validated ? { parameters: validated.parameters } : {}),
        };
        const operation = this.newOperation(
          instance.instanceId,
          'update',
          now,
          'update accepted',
          data as Record<string, unknown>,
        );
        await this.operations.insert(operation, tx);
        if (cmd.context) {
          await this.instances.update(
            instance.instanceId,
            { context: { ...instance.context, ...cmd.context }, updatedAt: now },
            tx,
          );
        }
        return { status: 202, body: { operation: operation.id, dashboard_url: instance.dashboardUrl } };
      })
      .then((answer) => {
        this.engine.poke();
        return answer;
      });
  }

  async deprovision(instanceId: string, acceptsIncomplete: boolean): Promise<OperationAnswer> {
    const answer = await this.instances.withLockedInstance(instanceId, async (tx, instance) => {
      if (!instance || instance.deletedAt) {
        throw new GoneError('instance does not exist');
      }
      if (!acceptsIncomplete) {
        throw new AsyncRequiredError();
      }
      const active = await this.operations.active(instanceId, tx);
      const running = active.find((op) => op.type === 'deprovision');
      if (running) {
        return { status: 202 as const, body: { operation: running.id } };
      }
      const now = this.clock.now();
      // OSB: deleting an instance still being created halts the creation.
      for (const op of active) {
        await this.operations.update(
          op.id,
          {
            state: 'failed',
            step: '',
            description: 'canceled: the instance is being deprovisioned',
            updatedAt: now,
            finishedAt: now,
          },
          tx,
        );
      }
      const operation = this.newOperation(instanceId, 'deprovision', now, 'deprovisioning accepted');
      await this.operations.insert(operation, tx);
      return { status: 202 as const, body: { operation: operation.id } };
    });
    this.engine.poke();
    return answer;
  }

  async get(instanceId: string): Promise<{
    service_id: string;
    plan_id: string;
    dashboard_url: string;
    parameters: Record<string, unknown>;
    metadata: Record<string, unknown>;
  }> {
    const instance = await this.instances.find(instanceId);
    if (!instance || instance.deletedAt) {
      throw new NotFoundError('instance does not exist');
    }
    const provision = await this.operations.last(instanceId, 'provision');
    if (!provision || provision.state !== 'succeeded') {
      // OSB: 404 while provisioning is still in progress (and when it failed).
      throw new NotFoundError(
        `instance ${instanceId} is not provisioned (provisioning ${provision?.state ?? 'unknown'})`,
      );
    }
    const active = await this.operations.active(instanceId);
    if (active.some((op) => op.type === 'update')) {
      throw new ConcurrencyError(`instance ${instanceId} is being updated`);
    }
    return {
      service_id: instance.serviceId,
      plan_id: instance.planId,
      dashboard_url: instance.dashboardUrl,
      parameters: instance.parameters,
      metadata: { labels: { runtime_id: instance.runtimeId, region: instance.providerRegion } },
    };
  }

  async lastOperation(instanceId: string, operationId?: string): Promise<{ state: string; description: string }> {
    const instance = await this.instances.find(instanceId);
    let op: OperationEntity | null;
    if (operationId) {
      op = await this.operations.find(operationId);
      if (op && op.instanceId !== instanceId) {
        throw new BadRequestError('operation exists, but instanceID is invalid');
      }
    } else {
      op = await this.operations.last(instanceId);
    }
    if (instance?.deletedAt && (!op || op.type === 'deprovision')) {
      // OSB: 410 Gone tells a platform polling a deprovision that the instance is gone.
      throw new GoneError('instance does not exist');
    }
    if (!instance || !op) {
      throw new NotFoundError(operationId ? 'Operation not found' : 'instance does not exist');
    }
    return { state: op.state === 'pending' ? 'in progress' : op.state, description: op.description };
  }

  private checkServiceAndPlan(serviceId: string, planId: string, platformRegion: string): void {
    if (serviceId !== this.catalog.serviceId) {
      throw new BadRequestError(`service_id ${serviceId} is not in the catalog`);
    }
    if (!this.catalog.isPlanOffered(planId, platformRegion)) {
      throw new BadRequestError(`plan_id ${planId} is not in the catalog for platform region ${platformRegion}`);
    }
  }

  private checkParametersSize(parameters: Record<string, unknown> | undefined): void {
    if (parameters && JSON.stringify(parameters).length > this.config.broker.maxRawParametersBytes) {
      throw new BadRequestError('request parameters too large');
    }
  }

  private newOperation(
    instanceId: string,
    type: OperationType,
    now: Date,
    description: string,
    data: Record<string, unknown> = {},
  ): OperationEntity {
    return {
      id: randomUUID(),
      instanceId,
      type,
      state: 'pending',
      description,
      step: '',
      attempts: 0,
      data,
      leaseOwner: null,
      leaseExpiresAt: null,
      nextAttemptAt: now,
      createdAt: now,
      updatedAt: now,
      finishedAt: null,
    };
  }
}
