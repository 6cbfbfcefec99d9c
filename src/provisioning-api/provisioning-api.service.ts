import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { BindingNotFoundError } from '../bindings/binding-errors';
import { BindingsService, BindingSummary } from '../bindings/bindings.service';
import { InstancesService } from '../broker/instances.service';
import { PlatformRegions } from '../broker/platform-regions';
import { CatalogService } from '../catalog/catalog.service';
import { Clock } from '../common/clock';
import { BadRequestError, GoneError, NotFoundError } from '../common/domain-errors';
import type { InstanceEntity } from '../persistence/instance.entity';
import { InstanceRepository } from '../provisioning/instance.repository';
import { OperationRepository } from '../provisioning/operation.repository';
import type { AvailableEnvironmentsDto } from './dto/available-environment.dto';
import type {
  EnvironmentBindingCreatedDto,
  EnvironmentBindingDeletedDto,
  EnvironmentBindingDto,
  EnvironmentBindingListDto,
  EnvironmentBindingSummaryDto,
} from './dto/environment-binding.dto';
import type { EnvironmentInstanceDto, EnvironmentInstancesDto } from './dto/environment.dto';
import type {
  CreatedEnvironmentDto,
  CreateEnvironmentRequestDto,
  UpdateEnvironmentRequestDto,
} from './dto/environment-request.dto';
import { environmentStateOf } from './environment-state';
import { toAvailableEnvironments, toBindingSummary, toEnvironmentInstance } from './environment.mapper';
import { KymaOffering, kymaOfferingOf } from './kyma-offering';
import type { Tenant } from './tenant';

export interface CreatedBinding {
  bindingId: string;
  body: EnvironmentBindingCreatedDto;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * SAP's Provisioning Service API (/provisioning/v1) over the broker's own services: environments are
 * service instances of the caller's subaccount, bindings are the OSB bindings. Nothing is provisioned
 * or bound here; this maps requests and answers and keeps tenants apart.
 */
@Injectable()
export class ProvisioningApiService {
  constructor(
    private readonly catalog: CatalogService,
    private readonly regions: PlatformRegions,
    private readonly instancesService: InstancesService,
    private readonly bindings: BindingsService,
    private readonly instances: InstanceRepository,
    private readonly operations: OperationRepository,
    private readonly clock: Clock,
  ) {}

  availableEnvironments(_tenant: Tenant): AvailableEnvironmentsDto {
    const region = this.platformRegion();
    return { availableEnvironments: toAvailableEnvironments(this.offering(region), region) };
  }

  async createEnvironment(tenant: Tenant, request: CreateEnvironmentRequestDto): Promise<CreatedEnvironmentDto> {
    const region = this.platformRegion();
    const offering = this.offering(region);
    const plan = offering.plans.find((p) => p.name === request.planName);
    if (!plan) {
      throw new BadRequestError(
        `planName "${request.planName.slice(0, 64)}" is not available in region ${region} (available: ${offering.plans
          .map((p) => p.name)
          .join(', ')})`,
      );
    }
    const user = request.user ?? tenant.email;
    if (!user) {
      throw new BadRequestError(
        'user is required: the e-mail of the user who owns the environment (client credentials tokens carry no user)',
      );
    }
    const parameters: Record<string, unknown> = { ...(request.parameters ?? {}) };
    if (parameters.name === undefined && request.name !== undefined) {
      parameters.name = request.name;
    }
    const id = randomUUID();
    await this.instancesService.provision({
      instanceId: id,
      acceptsIncomplete: true,
      serviceId: offering.serviceId,
      planId: plan.id,
      parameters,
      context: { globalaccount_id: tenant.globalAccountId, subaccount_id: tenant.subaccountId, user_id: user },
      originatingUser: user,
    });
    return { id };
  }

  async listEnvironments(tenant: Tenant): Promise<EnvironmentInstancesDto> {
    const owned = await this.instances.listOfSubaccount(tenant.subaccountId);
    const views = await Promise.all(owned.map((instance) => this.view(instance)));
    return { environmentInstances: views.filter((v): v is EnvironmentInstanceDto => v !== undefined) };
  }

  async getEnvironment(tenant: Tenant, environmentId: string): Promise<EnvironmentInstanceDto> {
    const instance = await this.ownedInstance(tenant, environmentId);
    const view = await this.view(instance);
    if (!view) {
      throw this.environmentNotFound(environmentId);
    }
    return view;
  }

  async updateEnvironment(tenant: Tenant, environmentId: string, request: UpdateEnvironmentRequestDto): Promise<void> {
    const instance = await this.ownedInstance(tenant, environmentId);
    const offering = this.offering(instance.platformRegion || this.platformRegion());
    const plan = offering.plans.find((p) => p.name === request.planName);
    if (!plan) {
      throw new BadRequestError(`planName "${request.planName.slice(0, 64)}" is not a plan of ${offering.serviceName}`);
    }
    await this.instancesService.update({
      instanceId: instance.instanceId,
      acceptsIncomplete: true,
      serviceId: offering.serviceId,
      planId: plan.id === instance.planId ? undefined : plan.id,
      parameters: request.parameters,
    });
  }

  /** Starts deprovisioning (bindings do not block it) and answers with the environment, now DELETING. */
  async deleteEnvironment(tenant: Tenant, environmentId: string): Promise<EnvironmentInstanceDto> {
    const instance = await this.ownedInstance(tenant, environmentId);
    try {
      await this.instancesService.deprovision(environmentId, true);
    } catch (err) {
      throw err instanceof GoneError ? this.environmentNotFound(environmentId) : err;
    }
    // The engine may finish before we read again: the answer describes the deletion just accepted.
    const last = await this.operations.last(environmentId);
    return toEnvironmentInstance(instance, last, environmentStateOf(false, last) ?? 'DELETING');
  }

  async createBinding(tenant: Tenant, environmentId: string, parameters: unknown): Promise<CreatedBinding> {
    await this.ownedInstance(tenant, environmentId);
    const bindingId = randomUUID();
    const answer = await this.bindings.bind({
      instanceId: environmentId,
      bindingId,
      parameters: this.bindingParameters(parameters),
      context: { origin: tenant.subject, ...(tenant.email ? { email: tenant.email } : {}) },
      originatingUser: tenant.email ?? tenant.subject,
    });
    return {
      bindingId,
      body: { id: bindingId, expiresAt: new Date(answer.body.metadata.expires_at).toISOString() },
    };
  }

  async listBindings(tenant: Tenant, environmentId: string): Promise<EnvironmentBindingListDto> {
    await this.ownedInstance(tenant, environmentId);
    const now = this.clock.now();
    const rows = await this.bindings.list(environmentId);
    return {
      bindings: rows
        .filter((b) => b.ready)
        .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())
        .map((b) => toBindingSummary(environmentId, b, now)),
    };
  }

  /** The credentials of a live binding; an expired one that still exists answers with its metadata only (as SAP). */
  async getBinding(
    tenant: Tenant,
    environmentId: string,
    bindingId: string,
  ): Promise<EnvironmentBindingDto | EnvironmentBindingSummaryDto> {
    await this.ownedInstance(tenant, environmentId);
    const summary = await this.bindingSummary(environmentId, bindingId);
    if (!summary) {
      throw this.bindingNotFound(bindingId);
    }
    const now = this.clock.now();
    if (summary.expiresAt <= now) {
      return toBindingSummary(environmentId, summary, now);
    }
    let credentials;
    try {
      credentials = await this.bindings.get(environmentId, bindingId);
    } catch (err) {
      throw err instanceof BindingNotFoundError ? this.bindingNotFound(bindingId) : err;
    }
    return {
      id: bindingId,
      credentials: credentials.credentials,
      parameters: { expiration_seconds: summary.expirationSeconds, token_request: summary.type === 'token_request' },
      metadata: credentials.metadata,
      expiresAt: new Date(credentials.metadata.expires_at).toISOString(),
      createdDate: summary.createdAt.toISOString(),
    };
  }

  /** Revokes the credentials (token bindings stop working at once) and forgets the binding. */
  async deleteBinding(tenant: Tenant, environmentId: string, bindingId: string): Promise<EnvironmentBindingDeletedDto> {
    const instance = await this.ownedInstance(tenant, environmentId);
    try {
      await this.bindings.unbind(environmentId, bindingId);
    } catch (err) {
      throw err instanceof GoneError ? this.bindingNotFound(bindingId) : err;
    }
    return { bindingId, planId: instance.planId, serviceId: instance.serviceId };
  }

  /**
   * The façade defaults to ServiceAccount-token bindings whatever the broker's default strategy: the
   * documented procedure relies on DELETE revoking the kubeconfig at once. Everything else (bounds,
   * types, the limit) is the bindings service's to check, with its messages.
   */
  private bindingParameters(parameters: unknown): unknown {
    if (parameters === undefined || parameters === null) {
      return { token_request: true };
    }
    if (isObject(parameters) && parameters.token_request === undefined) {
      return { ...parameters, token_request: true };
    }
    return parameters;
  }

  private async bindingSummary(environmentId: string, bindingId: string): Promise<BindingSummary | undefined> {
    const rows = await this.bindings.list(environmentId);
    return rows.find((b) => b.bindingId === bindingId && b.ready);
  }

  /** The environment if it exists, is not deprovisioned and belongs to the caller's subaccount; else 404. */
  private async ownedInstance(tenant: Tenant, environmentId: string): Promise<InstanceEntity> {
    const instance = await this.instances.find(environmentId);
    if (!instance || instance.deletedAt || instance.subaccountId !== tenant.subaccountId) {
      throw this.environmentNotFound(environmentId);
    }
    return instance;
  }

  private async view(instance: InstanceEntity): Promise<EnvironmentInstanceDto | undefined> {
    const last = await this.operations.last(instance.instanceId);
    const state = environmentStateOf(instance.deletedAt !== null, last);
    return state ? toEnvironmentInstance(instance, last, state) : undefined;
  }

  /** SAP's Provisioning Service is regional: it serves the broker's default platform region. */
  private platformRegion(): string {
    return this.regions.resolve(undefined);
  }

  private offering(platformRegion: string): KymaOffering {
    return kymaOfferingOf(this.catalog.getCatalog(platformRegion));
  }

  private environmentNotFound(environmentId: string): NotFoundError {
    return new NotFoundError(`environment instance ${environmentId.slice(0, 64)} not found`);
  }

  private bindingNotFound(bindingId: string): NotFoundError {
    return new NotFoundError(`binding ${bindingId.slice(0, 64)} not found`);
  }
}
