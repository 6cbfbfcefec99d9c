import { ManualClock } from '../common/clock';
import { BadRequestError, GoneError, NotFoundError } from '../common/domain-errors';
import { BindingNotFoundError } from '../bindings/binding-errors';
import type { BindingsService, BindingSummary } from '../bindings/bindings.service';
import type { InstancesService } from '../broker/instances.service';
import type { PlatformRegions } from '../broker/platform-regions';
import type { CatalogService } from '../catalog/catalog.service';
import type { InstanceEntity } from '../persistence/instance.entity';
import type { OperationEntity } from '../persistence/operation.entity';
import type { InstanceRepository } from '../provisioning/instance.repository';
import type { OperationRepository } from '../provisioning/operation.repository';
import { anInstance, anOperation } from '../../test/factories/operations';
import type { EnvironmentBindingDto, EnvironmentBindingSummaryDto } from './dto/environment-binding.dto';
import { ProvisioningApiService } from './provisioning-api.service';
import type { Tenant } from './tenant';

// The service only reads the OSB catalog JSON; the catalog module itself is not part of this unit.
jest.mock('../catalog/catalog.service', () => ({ CatalogService: class CatalogService {} }), { virtual: true });

const SERVICE_ID = '47c9dcbf-ff30-448e-ab36-d3bad66ba281';
const AWS_PLAN_ID = '361c511f-f939-4621-b228-d0fb79a1fe15';
const AZURE_PLAN_ID = '4deee563-e5ec-4731-b9b1-53b42d855f0c';
const createSchema = { parameters: { type: 'object', required: ['name', 'region'] } };

const osbCatalog = {
  services: [
    {
      id: SERVICE_ID,
      name: 'kymaruntime',
      description: 'SAP BTP, Kyma runtime',
      plan_updateable: true,
      metadata: { displayName: 'Kyma runtime', documentationUrl: 'https://docs.example/kyma' },
      plans: [
        {
          id: AWS_PLAN_ID,
          name: 'aws',
          description: 'AWS',
          schemas: { service_instance: { create: createSchema, update: { parameters: { type: 'object' } } } },
        },
        { id: AZURE_PLAN_ID, name: 'azure', description: 'Azure', plan_updateable: false },
      ],
    },
  ],
};

const tenant: Tenant = { globalAccountId: 'ga-1', subaccountId: 'sa-1', subject: 'local-client' };

function mocks() {
  const catalog = { getCatalog: jest.fn().mockReturnValue(osbCatalog) };
  const regions = { resolve: jest.fn().mockReturnValue('cf-eu10') };
  const instancesService = {
    provision: jest.fn().mockResolvedValue({ status: 202, body: { operation: 'op-1' } }),
    update: jest.fn().mockResolvedValue({ status: 202, body: {} }),
    deprovision: jest.fn().mockResolvedValue({ status: 202, body: { operation: 'op-2' } }),
  };
  const bindings = {
    bind: jest.fn(),
    get: jest.fn(),
    list: jest.fn().mockResolvedValue([]),
    unbind: jest.fn().mockResolvedValue(undefined),
  };
  const instances = { find: jest.fn(), listOfSubaccount: jest.fn().mockResolvedValue([]) };
  const operations = { last: jest.fn() };
  const clock = new ManualClock();
  const service = new ProvisioningApiService(
    catalog as unknown as CatalogService,
    regions as unknown as PlatformRegions,
    instancesService as unknown as InstancesService,
    bindings as unknown as BindingsService,
    instances as unknown as InstanceRepository,
    operations as unknown as OperationRepository,
    clock,
  );
  return { service, catalog, regions, instancesService, bindings, instances, operations, clock };
}

function owned(overrides: Partial<InstanceEntity> = {}): InstanceEntity {
  return anInstance({ subaccountId: 'sa-1', globalAccountId: 'ga-1', ...overrides });
}

describe('ProvisioningApiService', () => {
  describe('availableEnvironments', () => {
    it('lists one kyma environment per plan of the region, schemas as JSON strings', () => {
      const { service, catalog } = mocks();
      const { availableEnvironments } = service.availableEnvironments(tenant);
      expect(catalog.getCatalog).toHaveBeenCalledWith('cf-eu10');
      expect(availableEnvironments.map((e) => e.planName)).toEqual(['aws', 'azure']);
      const aws = availableEnvironments[0];
      expect(aws).toMatchObject({
        environmentType: 'kyma',
        serviceName: 'kymaruntime',
        technicalKey: 'kymaruntime',
        landscapeLabel: 'cf-eu10',
        planUpdatable: true,
        serviceDisplayName: 'Kyma runtime',
        serviceDocumentationUrl: 'https://docs.example/kyma',
      });
      expect(JSON.parse(aws.createSchema)).toEqual(createSchema);
      expect(JSON.parse(aws.updateSchema)).toEqual({ parameters: { type: 'object' } });
      expect(availableEnvironments[1].planUpdatable).toBe(false);
      expect(JSON.parse(availableEnvironments[1].createSchema)).toEqual({ parameters: {} });
    });
  });

  describe('createEnvironment', () => {
    const body = {
      environmentType: 'kyma',
      serviceName: 'kymaruntime',
      planName: 'aws',
      parameters: { name: 'rt', region: 'eu-central-1' },
      user: 'jane@example.com',
    };

    it('provisions through the OSB instances service with the tenant as context', async () => {
      const { service, instancesService } = mocks();
      const created = await service.createEnvironment(tenant, body);
      expect(created.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(instancesService.provision).toHaveBeenCalledWith({
        instanceId: created.id,
        acceptsIncomplete: true,
        serviceId: SERVICE_ID,
        planId: AWS_PLAN_ID,
        parameters: { name: 'rt', region: 'eu-central-1' },
        context: { globalaccount_id: 'ga-1', subaccount_id: 'sa-1', user_id: 'jane@example.com' },
        originatingUser: 'jane@example.com',
      });
    });

    it('refuses a plan not offered in the region, naming the ones that are', async () => {
      const { service, instancesService } = mocks();
      const refused = service.createEnvironment(tenant, { ...body, planName: 'trial' });
      await expect(refused).rejects.toThrow(BadRequestError);
      await expect(refused).rejects.toThrow(
        'planName "trial" is not available in region cf-eu10 (available: aws, azure)',
      );
      expect(instancesService.provision).not.toHaveBeenCalled();
    });

    it('needs a user with a client token, and takes the e-mail of a user token', async () => {
      const { service, instancesService } = mocks();
      await expect(service.createEnvironment(tenant, { ...body, user: undefined })).rejects.toThrow(/user is required/);
      await service.createEnvironment({ ...tenant, email: 'joe@example.com' }, { ...body, user: undefined });
      expect(instancesService.provision).toHaveBeenCalledWith(
        expect.objectContaining({ context: expect.objectContaining({ user_id: 'joe@example.com' }) }),
      );
    });

    it('uses the top-level name when parameters carry none', async () => {
      const { service, instancesService } = mocks();
      await service.createEnvironment(tenant, { ...body, name: 'top', parameters: { region: 'eu-central-1' } });
      expect(instancesService.provision).toHaveBeenCalledWith(
        expect.objectContaining({ parameters: { name: 'top', region: 'eu-central-1' } }),
      );
    });
  });

  describe('environments', () => {
    it("maps an instance and its last operation to SAP's environment object", async () => {
      const { service, instances, operations } = mocks();
      const created = new Date('2026-01-01T10:00:00.000Z');
      const instance = owned({
        instanceId: 'env-1',
        createdAt: created,
        updatedAt: created,
        apiServerUrl: 'https://api.c-1.local',
        dashboardUrl: 'https://dashboard.local/?runtime=r-1',
        runtimeId: 'r-1',
        parameters: { name: 'rt', region: 'eu-central-1', kubeconfig: 'secret' },
      });
      const op: OperationEntity = anOperation('env-1', 'provision', {
        id: 'op-1',
        state: 'succeeded',
        description: 'Operation succeeded',
        updatedAt: new Date('2026-01-01T10:05:00.000Z'),
      });
      instances.find.mockResolvedValue(instance);
      operations.last.mockResolvedValue(op);
      const env = await service.getEnvironment(tenant, 'env-1');
      expect(env).toMatchObject({
        id: 'env-1',
        name: 'rt',
        environmentType: 'kyma',
        serviceName: 'kymaruntime',
        planName: 'aws',
        planId: AWS_PLAN_ID,
        subaccountGUID: 'sa-1',
        globalAccountGUID: 'ga-1',
        tenantId: 'sa-1',
        state: 'OK',
        stateMessage: 'Operation succeeded',
        type: 'Provision',
        operation: 'op-1',
        createdDate: '2026-01-01T10:00:00.000Z',
        modifiedDate: '2026-01-01T10:05:00.000Z',
        dashboardUrl: 'https://dashboard.local/?runtime=r-1',
      });
      expect(JSON.parse(env.parameters)).toEqual({ name: 'rt', region: 'eu-central-1' });
      expect(JSON.parse(env.labels)).toEqual({
        Name: 'rt',
        APIServerURL: 'https://api.c-1.local',
        DashboardURL: 'https://dashboard.local/?runtime=r-1',
        RuntimeID: 'r-1',
      });
    });

    it.each([
      ['of another subaccount', owned({ subaccountId: 'sa-2' })],
      ['deprovisioned', owned({ deletedAt: new Date() })],
      ['unknown', null],
    ])('answers 404 for an environment %s', async (_label, instance) => {
      const { service, instances, instancesService } = mocks();
      instances.find.mockResolvedValue(instance);
      await expect(service.getEnvironment(tenant, 'env-x')).rejects.toThrow(NotFoundError);
      await expect(service.deleteEnvironment(tenant, 'env-x')).rejects.toThrow(NotFoundError);
      await expect(service.createBinding(tenant, 'env-x', {})).rejects.toThrow(NotFoundError);
      await expect(service.listBindings(tenant, 'env-x')).rejects.toThrow(NotFoundError);
      await expect(service.getBinding(tenant, 'env-x', 'b')).rejects.toThrow(NotFoundError);
      await expect(service.deleteBinding(tenant, 'env-x', 'b')).rejects.toThrow(NotFoundError);
      expect(instancesService.deprovision).not.toHaveBeenCalled();
    });

    it("lists only the caller's subaccount", async () => {
      const { service, instances, operations } = mocks();
      const a = owned({ instanceId: 'a' });
      instances.listOfSubaccount.mockResolvedValue([a]);
      operations.last.mockResolvedValue(anOperation('a', 'provision', { state: 'in progress' }));
      const list = await service.listEnvironments(tenant);
      expect(instances.listOfSubaccount).toHaveBeenCalledWith('sa-1');
      expect(list.environmentInstances.map((e) => [e.id, e.state])).toEqual([['a', 'CREATING']]);
    });

    it('deletes through deprovisioning and answers DELETING', async () => {
      const { service, instances, operations, instancesService } = mocks();
      instances.find.mockResolvedValue(owned({ instanceId: 'env-1' }));
      operations.last.mockResolvedValue(anOperation('env-1', 'deprovision', { state: 'pending' }));
      const env = await service.deleteEnvironment(tenant, 'env-1');
      expect(instancesService.deprovision).toHaveBeenCalledWith('env-1', true);
      expect(env.state).toBe('DELETING');
      expect(env.type).toBe('Deprovision');
    });

    it('maps a vanished instance during deletion to 404', async () => {
      const { service, instances, instancesService } = mocks();
      instances.find.mockResolvedValue(owned({ instanceId: 'env-1' }));
      instancesService.deprovision.mockRejectedValue(new GoneError('instance does not exist'));
      await expect(service.deleteEnvironment(tenant, 'env-1')).rejects.toThrow(NotFoundError);
    });

    it('updates through the OSB instances service, keeping the plan when it is the same', async () => {
      const { service, instances, instancesService } = mocks();
      instances.find.mockResolvedValue(owned({ instanceId: 'env-1' }));
      await service.updateEnvironment(tenant, 'env-1', { planName: 'aws', parameters: { autoScalerMax: 5 } });
      expect(instancesService.update).toHaveBeenCalledWith({
        instanceId: 'env-1',
        acceptsIncomplete: true,
        serviceId: SERVICE_ID,
        planId: undefined,
        parameters: { autoScalerMax: 5 },
      });
      await service.updateEnvironment(tenant, 'env-1', { planName: 'azure' });
      expect(instancesService.update).toHaveBeenLastCalledWith(expect.objectContaining({ planId: AZURE_PLAN_ID }));
      await expect(service.updateEnvironment(tenant, 'env-1', { planName: 'nope' })).rejects.toThrow(BadRequestError);
    });
  });

  describe('bindings', () => {
    function summary(overrides: Partial<BindingSummary> = {}): BindingSummary {
      return {
        bindingId: 'b-1',
        createdAt: new Date(Date.now() - 1000),
        expiresAt: new Date(Date.now() + 600_000),
        expirationSeconds: 600,
        type: 'token_request',
        ready: true,
        ...overrides,
      };
    }

    it('creates a token binding by default with a generated id, keeping the other parameters', async () => {
      const { service, instances, bindings } = mocks();
      instances.find.mockResolvedValue(owned({ instanceId: 'env-1' }));
      bindings.bind.mockResolvedValue({
        status: 201,
        body: { credentials: { kubeconfig: 'k' }, metadata: { expires_at: '2026-01-01T10:10:00.0Z' } },
      });
      const created = await service.createBinding(tenant, 'env-1', { expiration_seconds: 900 });
      expect(created.bindingId).toMatch(/^[0-9a-f-]{36}$/);
      expect(created.body).toEqual({ id: created.bindingId, expiresAt: '2026-01-01T10:10:00.000Z' });
      expect(bindings.bind).toHaveBeenCalledWith({
        instanceId: 'env-1',
        bindingId: created.bindingId,
        parameters: { expiration_seconds: 900, token_request: true },
        context: { origin: 'local-client' },
        originatingUser: 'local-client',
      });
    });

    it.each([
      [undefined, { token_request: true }],
      [{ token_request: false }, { token_request: false }],
      ['not an object', 'not an object'],
    ])('passes parameters %p to the bindings rules as %p', async (given, passed) => {
      const { service, instances, bindings } = mocks();
      instances.find.mockResolvedValue(owned({ instanceId: 'env-1' }));
      bindings.bind.mockResolvedValue({
        status: 201,
        body: { credentials: { kubeconfig: 'k' }, metadata: { expires_at: '2026-01-01T10:10:00.0Z' } },
      });
      await service.createBinding(tenant, 'env-1', given);
      expect(bindings.bind).toHaveBeenCalledWith(expect.objectContaining({ parameters: passed }));
    });

    it('lists ready bindings without credentials', async () => {
      const { service, instances, bindings } = mocks();
      instances.find.mockResolvedValue(owned({ instanceId: 'env-1' }));
      bindings.list.mockResolvedValue([summary(), summary({ bindingId: 'b-2', ready: false })]);
      const list = await service.listBindings(tenant, 'env-1');
      expect(list.bindings).toHaveLength(1);
      expect(list.bindings[0]).toMatchObject({ id: 'b-1', bindingId: 'b-1', instanceId: 'env-1', expired: false });
      expect(JSON.stringify(list)).not.toContain('kubeconfig');
    });

    it('returns the kubeconfig of a live binding', async () => {
      const { service, instances, bindings } = mocks();
      instances.find.mockResolvedValue(owned({ instanceId: 'env-1' }));
      bindings.list.mockResolvedValue([summary()]);
      bindings.get.mockResolvedValue({
        credentials: { kubeconfig: 'apiVersion: v1' },
        metadata: { expires_at: '2026-01-01T10:10:00.0Z' },
      });
      const binding = (await service.getBinding(tenant, 'env-1', 'b-1')) as EnvironmentBindingDto;
      expect(binding).toMatchObject({
        id: 'b-1',
        credentials: { kubeconfig: 'apiVersion: v1' },
        parameters: { expiration_seconds: 600, token_request: true },
        expiresAt: '2026-01-01T10:10:00.000Z',
      });
    });

    it('answers an expired binding with its metadata only, and an unknown one with 404', async () => {
      const { service, instances, bindings } = mocks();
      instances.find.mockResolvedValue(owned({ instanceId: 'env-1' }));
      bindings.list.mockResolvedValue([summary({ expiresAt: new Date(Date.now() - 1) })]);
      const expired = (await service.getBinding(tenant, 'env-1', 'b-1')) as EnvironmentBindingSummaryDto;
      expect(expired).toMatchObject({ id: 'b-1', expired: true });
      expect(bindings.get).not.toHaveBeenCalled();
      await expect(service.getBinding(tenant, 'env-1', 'b-9')).rejects.toThrow('binding b-9 not found');
    });

    it('maps a binding vanishing between list and get to 404', async () => {
      const { service, instances, bindings } = mocks();
      instances.find.mockResolvedValue(owned({ instanceId: 'env-1' }));
      bindings.list.mockResolvedValue([summary()]);
      bindings.get.mockRejectedValue(new BindingNotFoundError());
      await expect(service.getBinding(tenant, 'env-1', 'b-1')).rejects.toThrow(NotFoundError);
    });

    it('revokes on delete and maps an unknown binding to 404', async () => {
      const { service, instances, bindings } = mocks();
      instances.find.mockResolvedValue(owned({ instanceId: 'env-1' }));
      await expect(service.deleteBinding(tenant, 'env-1', 'b-1')).resolves.toEqual({
        bindingId: 'b-1',
        planId: AWS_PLAN_ID,
        serviceId: SERVICE_ID,
      });
      expect(bindings.unbind).toHaveBeenCalledWith('env-1', 'b-1');
      bindings.unbind.mockRejectedValue(new GoneError('binding does not exist'));
      await expect(service.deleteBinding(tenant, 'env-1', 'b-1')).rejects.toThrow('binding b-1 not found');
    });
  });
});
