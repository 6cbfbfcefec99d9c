import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../config/load-config';
import { EuAccessPolicy } from '../eu-access/eu-access.policy';
import type { CatalogOptions } from './catalog-options';
import { CatalogService } from './catalog.service';
import type { JsonSchema, OsbPlan } from './catalog.types';
import { KYMA_SERVICE_ID, KYMA_SERVICE_NAME } from './service-offering';

function catalogService(env: Record<string, string> = {}, options?: Partial<CatalogOptions>): CatalogService {
  const config = loadConfig({ DATA_DIR: mkdtempSync(join(tmpdir(), 'kbt-catalog-')), ...env });
  return new CatalogService(config, new EuAccessPolicy(config), options);
}

function plan(service: CatalogService, platformRegion: string, name: string): OsbPlan | undefined {
  return service.getCatalog(platformRegion).services[0].plans.find((p) => p.name === name);
}

function createSchema(service: CatalogService, platformRegion: string, name: string): JsonSchema {
  return plan(service, platformRegion, name)!.schemas.service_instance.create.parameters;
}

function property(schema: JsonSchema, name: string): JsonSchema | undefined {
  return (schema.properties as Record<string, JsonSchema>)[name];
}

const PLAN_IDS = {
  aws: '361c511f-f939-4621-b228-d0fb79a1fe15',
  azure: '4deee563-e5ec-4731-b9b1-53b42d855f0c',
  azure_lite: '8cb22518-aa26-44c5-91a0-e669ec9bf443',
  gcp: 'ca6e5357-707f-4565-bbbd-b3ab732597c6',
  trial: '7d55d31d-35ae-4438-bf13-6ffdfa107d9f',
  free: 'b1a5764e-2ea1-4f95-94c0-2b4538b37b55',
  'sap-converged-cloud': '03b812ac-c991-4528-b5bd-08b303523a63',
  preview: '5cb3d976-b85c-42ea-a636-79cadda109a9',
  own_cluster: '03e3cb66-a4c6-4c6a-b4b0-5d42224debea',
};

describe('CatalogService catalog', () => {
  const service = catalogService();

  it("serves KEB's service id and name with our deliberate differences", () => {
    const [kyma, ...others] = service.getCatalog('cf-eu10').services;
    expect(others).toEqual([]);
    expect(service.serviceId).toBe(KYMA_SERVICE_ID);
    expect(kyma).toMatchObject({
      id: '47c9dcbf-ff30-448e-ab36-d3bad66ba281',
      name: 'kymaruntime',
      instances_retrievable: true,
      bindings_retrievable: true,
      allow_context_updates: true,
      bindable: true,
      plan_updateable: false,
      tags: ['SAP', 'Kyma'],
      metadata: { displayName: 'Kyma Environment', providerDisplayName: 'SAP' },
    });
    expect(KYMA_SERVICE_NAME).toBe('kymaruntime');
  });

  it.each(Object.entries(PLAN_IDS))('knows plan %s by its KEB id %s', (name, id) => {
    expect(service.findPlanById(id)?.name).toBe(name);
    expect(service.findPlanByName(name)?.id).toBe(id);
  });

  it('lists the plans sorted by name, every one with its KEB id', () => {
    const plans = service.getCatalog('cf-eu10').services[0].plans;
    const names = plans.map((p) => p.name);
    expect(names).toEqual([...names].sort());
    expect(names).toEqual([
      'aws',
      'azure',
      'azure_lite',
      'free',
      'gcp',
      'own_cluster',
      'preview',
      'sap-converged-cloud',
      'trial',
    ]);
    for (const p of plans) {
      expect(p.id).toBe(PLAN_IDS[p.name as keyof typeof PLAN_IDS]);
    }
  });

  it.each([
    // An AWS subaccount in cf-eu11 may only use Frankfurt; cf-eu10 offers the whole list.
    ['cf-eu11', 'aws', ['eu-central-1']],
    ['cf-eu10', 'aws', expect.arrayContaining(['eu-central-1', 'us-east-1', 'ap-southeast-2'])],
    ['cf-ch20', 'azure', ['switzerlandnorth']],
    ['cf-ch20', 'azure_lite', ['switzerlandnorth']],
    ['cf-ch20', 'free', ['switzerlandnorth']],
    ['cf-eu11', 'free', ['eu-central-1']],
    ['cf-eu01', 'sap-converged-cloud', ['eu-de-2']],
    ['cf-eu02', 'sap-converged-cloud', ['eu-de-1']],
    ['cf-sa30', 'gcp', ['me-central2']],
  ])('in %s the %s region enum is %j', (platformRegion, name, regions) => {
    expect(property(createSchema(service, platformRegion, name), 'region')?.enum).toEqual(regions);
  });

  it('offers several aws regions on cf-eu10', () => {
    expect((property(createSchema(service, 'cf-eu10', 'aws'), 'region')?.enum as string[]).length).toBe(11);
  });

  it('leaves out plans without a region for the platform region, but always keeps trial and own_cluster', () => {
    const names = (platformRegion: string) => service.getCatalog(platformRegion).services[0].plans.map((p) => p.name);
    expect(names('cf-eu11')).not.toContain('sap-converged-cloud');
    expect(names('cf-eu11')).toEqual(expect.arrayContaining(['trial', 'own_cluster', 'aws', 'free']));
    expect(names('cf-eu01')).toContain('sap-converged-cloud');
    expect(service.isPlanOffered(PLAN_IDS['sap-converged-cloud'], 'cf-eu11')).toBe(false);
    expect(service.isPlanOffered(PLAN_IDS['sap-converged-cloud'], 'cf-eu01')).toBe(true);
    expect(service.isPlanOffered(PLAN_IDS.trial, 'cf-eu11')).toBe(true);
  });

  it('lists only the enabled plans', () => {
    const few = catalogService({ ENABLED_PLANS: 'trial,gcp' });
    expect(few.getCatalog('cf-eu10').services[0].plans.map((p) => p.name)).toEqual(['gcp', 'trial']);
    expect(few.isPlanOffered(PLAN_IDS.aws, 'cf-eu10')).toBe(false);
    // Still known, so instances of a plan disabled later can be updated.
    expect(few.findPlanById(PLAN_IDS.aws)?.name).toBe('aws');
    expect(few.isPlanEnabled('aws')).toBe(false);
  });

  describe('bindable', () => {
    it('marks every enabled plan bindable with bindablePlans [*]', () => {
      expect(service.getCatalog('cf-eu10').services[0].plans.every((p) => p.bindable)).toBe(true);
      expect(service.isBindable('trial')).toBe(true);
    });

    it('marks only the listed plans, explicitly false on the others', () => {
      const some = catalogService({ BINDABLE_PLANS: 'aws' });
      expect(plan(some, 'cf-eu10', 'aws')?.bindable).toBe(true);
      expect(plan(some, 'cf-eu10', 'azure')?.bindable).toBe(false);
      expect(some.getCatalog('cf-eu10').services[0].bindable).toBe(true);
      expect(some.isBindable('azure')).toBe(false);
    });

    it('marks nothing bindable when bindings are off', () => {
      const off = catalogService({ BINDINGS_ENABLED: 'false' });
      const [kyma] = off.getCatalog('cf-eu10').services;
      expect(kyma.bindable).toBe(false);
      expect(kyma.plans.some((p) => p.bindable)).toBe(false);
      expect(off.isBindable('aws')).toBe(false);
    });

    it('does not count disabled plans under *', () => {
      expect(catalogService({ ENABLED_PLANS: 'aws' }).isBindable('azure')).toBe(false);
    });
  });

  it('marks plans updatable only with plan upgrades enabled and a target in the rule table', () => {
    expect(plan(service, 'cf-eu10', 'aws')?.plan_updateable).toBe(false);
    const upgrades = catalogService({}, { enablePlanUpgrades: true, upgradableToPlans: { trial: ['aws'] } });
    expect(plan(upgrades, 'cf-eu10', 'trial')?.plan_updateable).toBe(true);
    expect(plan(upgrades, 'cf-eu10', 'aws')?.plan_updateable).toBe(false);
    expect(upgrades.getCatalog('cf-eu10').services[0].plan_updateable).toBe(true);
    expect(upgrades.canUpdatePlan('trial', 'aws')).toBe(true);
    expect(upgrades.canUpdatePlan('aws', 'trial')).toBe(false);
    expect(service.canUpdatePlan('trial', 'aws')).toBe(false);
  });

  it("refuses a plan change with KEB's message", () => {
    expect(() => service.assertPlanChange(PLAN_IDS.trial, PLAN_IDS.aws)).toThrow(
      `plan upgrade from trial (planID: ${PLAN_IDS.trial}) to aws (planID: ${PLAN_IDS.aws}) is not allowed`,
    );
    expect(() => service.assertPlanChange(PLAN_IDS.aws, PLAN_IDS.aws)).not.toThrow();
    expect(() => service.assertPlanChange(PLAN_IDS.aws, 'nope')).toThrow('plan ID "nope" is not recognized');
  });

  describe('schemas', () => {
    const plans = service.getCatalog('cf-eu10').services[0].plans;

    it.each(plans.map((p) => [p.name, p] as const))('%s: draft-04 objects under 64 kB', (_name, p) => {
      for (const schema of [
        p.schemas.service_instance.create.parameters,
        p.schemas.service_instance.update.parameters,
      ]) {
        expect(schema).toMatchObject({ $schema: 'http://json-schema.org/draft-04/schema#', type: 'object' });
        expect(Buffer.byteLength(JSON.stringify(schema))).toBeLessThan(64 * 1024);
        // KEB keeps unknown parameters acceptable by default (rejectUnsupportedParameters: false).
        expect(schema.additionalProperties).toBeUndefined();
        expect(schema._controlsOrder).toEqual(
          Object.keys(schema.properties as object).length > 0 ? expect.any(Array) : [],
        );
      }
    });

    it.each([
      ['aws', ['name']],
      ['free', ['name']],
      ['trial', ['name']],
      ['own_cluster', ['name', 'kubeconfig', 'shootName', 'shootDomain']],
    ])('%s requires %j', (name, required) => {
      expect(createSchema(service, 'cf-eu10', name).required).toEqual(required);
    });

    it("gives the hyperscaler plans KEB's name, machine type and autoscaler rules", () => {
      const aws = createSchema(service, 'cf-eu10', 'aws');
      expect(property(aws, 'name')).toMatchObject({
        type: 'string',
        pattern: '^[a-zA-Z0-9-]*$',
        minLength: 1,
        maxLength: 64,
      });
      expect(property(aws, 'machineType')?.enum).toEqual(expect.arrayContaining(['m6i.large', 'm5.16xlarge']));
      expect((property(aws, 'machineType')?.enum as string[])[0]).toBe('m6i.large');
      expect(property(aws, 'autoScalerMin')).toMatchObject({ type: 'integer', minimum: 3, maximum: 300, default: 3 });
      expect(property(aws, 'autoScalerMax')).toMatchObject({ type: 'integer', minimum: 3, maximum: 300, default: 20 });
      expect(Object.keys(aws.properties as object)).toEqual(
        expect.arrayContaining([
          'oidc',
          'administrators',
          'networking',
          'modules',
          'colocateControlPlane',
          'ingressFiltering',
        ]),
      );
      const lite = createSchema(service, 'cf-eu10', 'azure_lite');
      expect(property(lite, 'autoScalerMin')).toMatchObject({ minimum: 2, maximum: 40, default: 2 });
      expect(property(lite, 'autoScalerMax')).toMatchObject({ minimum: 2, maximum: 40, default: 10 });
      expect(property(lite, 'machineType')?.enum).toEqual(['Standard_D2s_v5', 'Standard_D4s_v5', 'Standard_D4_v3']);
      expect(property(createSchema(service, 'cf-eu10', 'gcp'), 'machineType')?.enum).toContain('n2-standard-2');
      expect(property(createSchema(service, 'cf-eu10', 'sap-converged-cloud'), 'machineType')?.enum).toContain(
        'g_c2_m8',
      );
    });

    it('shows the broker OIDC defaults in the create schema only', () => {
      const oidc = property(createSchema(service, 'cf-eu10', 'aws'), 'oidc')!;
      expect(oidc.required).toEqual(['clientID', 'issuerURL']);
      expect((oidc.properties as Record<string, JsonSchema>).usernameClaim.default).toBe('sub');
      const update = plan(service, 'cf-eu10', 'aws')!.schemas.service_instance.update.parameters;
      expect(
        (property(update, 'oidc')!.properties as Record<string, JsonSchema>).usernameClaim.default,
      ).toBeUndefined();
    });

    it.each([
      ['aws', ['name', 'machineType', 'autoScalerMin', 'autoScalerMax', 'oidc', 'administrators', 'ingressFiltering']],
      ['azure_lite', ['name', 'machineType', 'autoScalerMin', 'autoScalerMax', 'oidc', 'administrators']],
      ['free', ['name', 'oidc', 'administrators']],
      ['trial', ['name', 'oidc', 'administrators']],
      ['own_cluster', ['name', 'kubeconfig']],
    ])('%s update schema holds only updatable properties %j, none required', (name, properties) => {
      const update = plan(service, 'cf-eu10', name)!.schemas.service_instance.update.parameters;
      expect(Object.keys(update.properties as object).sort()).toEqual([...properties].sort());
      expect(update.required).toBeUndefined();
      expect(property(update, 'autoScalerMin')?.default).toBeUndefined();
    });

    it('forbids unknown properties when rejectUnsupportedParameters is set', () => {
      const strict = catalogService({}, { rejectUnsupportedParameters: true });
      expect(createSchema(strict, 'cf-eu10', 'aws').additionalProperties).toBe(false);
    });

    it('requires region when regionRequired is on (KEB since #90), from the config or the catalog option', () => {
      expect(createSchema(catalogService({}, { regionRequired: true }), 'cf-eu10', 'aws').required).toEqual([
        'name',
        'region',
      ]);
      const fromEnv = catalogService({ REGION_REQUIRED: 'true' });
      expect(createSchema(fromEnv, 'cf-eu10', 'free').required).toEqual(['name', 'region']);
      expect(createSchema(fromEnv, 'cf-eu10', 'trial').required).toEqual(['name']);
    });
  });

  describe('memoisation', () => {
    it('returns the same frozen catalog for the same platform region', () => {
      const first = service.getCatalog('cf-eu11');
      expect(service.getCatalog('cf-eu11')).toBe(first);
      expect(Object.isFrozen(first.services[0].plans)).toBe(true);
      expect(JSON.parse(service.getCatalogJson('cf-eu11'))).toEqual(first);
    });

    it('shares one catalog between platform regions with the same allowed regions', () => {
      expect(service.getCatalog('cf-eu30')).toBe(service.getCatalog('cf-jp30'));
      expect(service.getCatalog('cf-eu11')).not.toBe(service.getCatalog('cf-eu10'));
    });

    it('serves a memoised catalog fast', () => {
      service.getCatalog('cf-us10');
      const start = process.hrtime.bigint();
      for (let i = 0; i < 10_000; i++) {
        service.getCatalogJson('cf-us10');
      }
      const perCallMicros = Number(process.hrtime.bigint() - start) / 1000 / 10_000;
      expect(perCallMicros).toBeLessThan(50);
    });

    it('survives many distinct platform regions from URLs', () => {
      for (let i = 0; i < 2000; i++) {
        service.getCatalog(`cf-xx${i}`);
      }
      expect(service.getCatalog('cf-eu11')).toBe(service.getCatalog('cf-eu11'));
    });
  });
});
