import type { BindingSummary } from '../bindings/bindings.service';
import type { InstanceEntity } from '../persistence/instance.entity';
import type { OperationEntity } from '../persistence/operation.entity';
import { publicParameters } from '../runtimes-info/public-parameters';
import type { AvailableEnvironmentDto } from './dto/available-environment.dto';
import type { EnvironmentBindingSummaryDto } from './dto/environment-binding.dto';
import type { EnvironmentInstanceDto } from './dto/environment.dto';
import { EnvironmentState, environmentOperationTypeOf } from './environment-state';
import { KYMA_ENVIRONMENT_TYPE, KYMA_SERVICE_NAME, KymaOffering } from './kyma-offering';

export const BROKER_ID = 'kyma-environment-broker';

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** One entry per plan: SAP's AvailableEnvironmentResponseObject, schemas as JSON strings as SAP sends them. */
export function toAvailableEnvironments(offering: KymaOffering, landscape: string): AvailableEnvironmentDto[] {
  const meta = offering.metadata;
  return offering.plans.map((plan) => ({
    environmentType: KYMA_ENVIRONMENT_TYPE,
    serviceName: offering.serviceName,
    planName: plan.name,
    description: plan.description,
    technicalKey: offering.serviceName,
    availabilityLevel: 'GA',
    landscapeLabel: landscape,
    planUpdatable: plan.updatable,
    allowAdditionalEnvironmentInstance: true,
    createSchema: JSON.stringify(plan.createSchema ?? { parameters: {} }),
    updateSchema: JSON.stringify(plan.updateSchema ?? { parameters: {} }),
    serviceDescription: offering.description,
    serviceDisplayName: str(meta.displayName) || 'Kyma runtime',
    serviceLongDescription: str(meta.longDescription) || offering.description,
    serviceDocumentationUrl: str(meta.documentationUrl),
    serviceSupportUrl: str(meta.supportUrl),
    serviceImageUrl: str(meta.imageUrl),
  }));
}

/** What the broker knows of one environment, in SAP's EnvironmentInstanceResponseObject shape. */
export function toEnvironmentInstance(
  instance: InstanceEntity,
  last: OperationEntity | null,
  state: EnvironmentState,
): EnvironmentInstanceDto {
  const name = str(instance.parameters.name) || instance.shootName;
  const labels: Record<string, string> = { Name: name };
  if (instance.apiServerUrl) {
    labels.APIServerURL = instance.apiServerUrl;
  }
  if (instance.dashboardUrl) {
    labels.DashboardURL = instance.dashboardUrl;
  }
  labels.RuntimeID = instance.runtimeId;
  const modified = last && last.updatedAt > instance.updatedAt ? last.updatedAt : instance.updatedAt;
  return {
    id: instance.instanceId,
    name,
    brokerId: BROKER_ID,
    globalAccountGUID: instance.globalAccountId,
    subaccountGUID: instance.subaccountId,
    tenantId: instance.subaccountId,
    serviceId: instance.serviceId,
    serviceName: KYMA_SERVICE_NAME,
    planId: instance.planId,
    planName: instance.planName,
    platformId: instance.platformRegion,
    landscapeLabel: instance.platformRegion,
    environmentType: KYMA_ENVIRONMENT_TYPE,
    operation: last?.id ?? '',
    type: environmentOperationTypeOf(last?.type ?? 'provision'),
    state,
    stateMessage: last?.description ?? '',
    parameters: JSON.stringify(publicParameters(instance.parameters)),
    labels: JSON.stringify(labels),
    customLabels: {},
    dashboardUrl: instance.dashboardUrl,
    createdBy: instance.createdBy,
    createdDate: instance.createdAt.toISOString(),
    modifiedDate: modified.toISOString(),
  };
}

export function toBindingSummary(instanceId: string, binding: BindingSummary, now: Date): EnvironmentBindingSummaryDto {
  return {
    id: binding.bindingId,
    bindingId: binding.bindingId,
    instanceId,
    createdAt: binding.createdAt.toISOString(),
    createdDate: binding.createdAt.toISOString(),
    expiresAt: binding.expiresAt.toISOString(),
    expired: binding.expiresAt <= now,
  };
}
