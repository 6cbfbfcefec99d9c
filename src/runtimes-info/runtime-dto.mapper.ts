import type { OperationType } from '../persistence/operation.entity';
import type { RuntimeDto, RuntimeOperationDto, RuntimeStatusDto } from './dto/runtime.dto';
import { KYMA_SERVICE_NAME } from './kyma-service';
import { publicParameters } from './public-parameters';
import { runtimeStateOf } from './runtime-state';
import type { RuntimeInstanceRow, RuntimeOperationRow } from './runtimes.repository';

/** KEB lists the two newest updates of a runtime (numberOfUpgradeOperationsToReturn). */
export const UPDATES_SHOWN = 2;

/** KEB's CloudProvider names for the provider values our instances store. */
const PROVIDER_NAMES: Record<string, string> = {
  aws: 'AWS',
  azure: 'Azure',
  gcp: 'GCP',
  gdch: 'GDCH',
  'sap-converged-cloud': 'SapConvergedCloud',
  sapconvergedcloud: 'SapConvergedCloud',
  openstack: 'SapConvergedCloud',
  alicloud: 'Alicloud',
};

function operationDto(op: RuntimeOperationRow): RuntimeOperationDto {
  return {
    state: op.state,
    type: op.type,
    description: op.description,
    createdAt: op.createdAt.toISOString(),
    updatedAt: op.updatedAt.toISOString(),
    operationID: op.id,
  };
}

/** `operations`: this instance's rows from RuntimesRepository.recentOperations, newest first. */
function statusOf(instance: RuntimeInstanceRow, operations: RuntimeOperationRow[]): RuntimeStatusDto {
  const ofType = (type: OperationType) => operations.filter((op) => op.type === type);
  const provisions = ofType('provision');
  const deprovisions = ofType('deprovision');
  const updates = ofType('update');
  const last = operations[0];
  const status: RuntimeStatusDto = {
    createdAt: instance.createdAt.toISOString(),
    // KEB: the last operation's update time; an instance without operations has only its own.
    modifiedAt: (last?.updatedAt ?? instance.updatedAt).toISOString(),
    ...(instance.deletedAt ? { deletedAt: instance.deletedAt.toISOString() } : {}),
    // KEB's default when nothing says otherwise.
    state: last ? runtimeStateOf(last) : 'succeeded',
  };
  if (provisions.length > 0) {
    // KEB shows the first provisioning (later ones would be unsuspensions).
    status.provisioning = operationDto(provisions[provisions.length - 1]);
  }
  if (deprovisions.length > 0) {
    status.deprovisioning = operationDto(deprovisions[0]);
  }
  if (updates.length > 0) {
    const data = updates.slice(0, UPDATES_SHOWN).map(operationDto);
    status.update = { data, count: data.length, totalCount: updates[0].typeTotal };
  }
  return status;
}

/** A listed runtime with KEB's keys; the provisioning parameters lose their secrets here. */
export function toRuntimeDto(
  instance: RuntimeInstanceRow,
  operations: RuntimeOperationRow[],
  defaultPlatformRegion: string,
): RuntimeDto {
  return {
    instanceID: instance.instanceId,
    runtimeID: instance.runtimeId,
    globalAccountID: instance.globalAccountId,
    subAccountID: instance.subaccountId,
    region: instance.providerRegion,
    // KEB falls back to the broker's default region for instances created without one.
    subAccountRegion: instance.platformRegion || defaultPlatformRegion,
    shootName: instance.shootName,
    serviceClassID: instance.serviceId,
    // Instances store only the service id; the catalog has one service (KEB defaults the name likewise).
    serviceClassName: KYMA_SERVICE_NAME,
    servicePlanID: instance.planId,
    servicePlanName: instance.planName,
    provider: PROVIDER_NAMES[instance.provider.toLowerCase()] ?? instance.provider,
    parameters: publicParameters(instance.parameters),
    status: statusOf(instance, operations),
    userID: instance.createdBy,
    euAccess: instance.euAccess,
  };
}
