import { randomUUID } from 'node:crypto';
import { InstanceEntity } from '../../src/persistence/instance.entity';
import { OperationEntity, OperationType } from '../../src/persistence/operation.entity';

export function anInstance(overrides: Partial<InstanceEntity> = {}): InstanceEntity {
  const now = new Date();
  return {
    instanceId: `inst-${randomUUID()}`,
    runtimeId: randomUUID(),
    globalAccountId: 'ga-test',
    subaccountId: 'sa-test',
    serviceId: '47c9dcbf-ff30-448e-ab36-d3bad66ba281',
    planId: '361c511f-f939-4621-b228-d0fb79a1fe15',
    planName: 'aws',
    platformRegion: 'cf-eu10',
    providerRegion: 'eu-central-1',
    provider: 'aws',
    euAccess: false,
    shootName: `c-${randomUUID().slice(0, 7)}`,
    parameters: { name: 'test-runtime', region: 'eu-central-1' },
    context: {},
    createdBy: 'tester@example.com',
    dashboardUrl: '',
    apiServerUrl: '',
    createdAt: now,
    updatedAt: now,
    deletedAt: null,
    ...overrides,
  };
}

export function anOperation(
  instanceId: string,
  type: OperationType = 'provision',
  overrides: Partial<OperationEntity> = {},
): OperationEntity {
  const now = new Date();
  return {
    id: randomUUID(),
    instanceId,
    type,
    state: 'pending',
    description: 'accepted',
    step: '',
    attempts: 0,
    data: {},
    leaseOwner: null,
    leaseExpiresAt: null,
    nextAttemptAt: now,
    createdAt: now,
    updatedAt: now,
    finishedAt: null,
    ...overrides,
  };
}
