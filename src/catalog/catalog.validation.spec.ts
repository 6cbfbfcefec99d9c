import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BadRequestError, DomainError, UnprocessableError } from '../common/domain-errors';
import { loadConfig } from '../config/load-config';
import { EuAccessPolicy } from '../eu-access/eu-access.policy';
import type { CatalogOptions } from './catalog-options';
import { CatalogService } from './catalog.service';

function catalogService(env: Record<string, string> = {}, options?: Partial<CatalogOptions>): CatalogService {
  const config = loadConfig({ DATA_DIR: mkdtempSync(join(tmpdir(), 'kbt-catalog-')), ...env });
  return new CatalogService(config, new EuAccessPolicy(config), options);
}

/** The domain error a call throws (fails the test when it does not throw). */
function failure(call: () => unknown): DomainError {
  try {
    call();
  } catch (err) {
    if (err instanceof DomainError) {
      return err;
    }
    throw err;
  }
  throw new Error('expected a domain error');
}

const service = catalogService();
const id = (plan: string) => service.findPlanByName(plan)!.id;
const provision = (plan: string, platformRegion: string, parameters: unknown) =>
  service.validateProvisioning(id(plan), platformRegion, parameters);

const AWS_REGIONS =
  "'eu-central-1', 'eu-west-2', 'ca-central-1', 'sa-east-1', 'us-east-1', 'us-west-2', " +
  "'ap-northeast-1', 'ap-northeast-2', 'ap-south-1', 'ap-southeast-1', 'ap-southeast-2'";

describe('CatalogService.validateProvisioning', () => {
  it.each([
    // EU Access: one allowed value.
    ['aws', 'cf-eu11', { name: 'c', region: 'us-west-2' }, "at '/region': value must be 'eu-central-1'"],
    ['azure', 'cf-ch20', { name: 'c', region: 'japaneast' }, "at '/region': value must be 'switzerlandnorth'"],
    ['free', 'cf-ch20', { name: 'c', region: 'westeurope' }, "at '/region': value must be 'switzerlandnorth'"],
    ['sap-converged-cloud', 'cf-eu01', { name: 'c', region: 'eu-de-1' }, "at '/region': value must be 'eu-de-2'"],
    ['gcp', 'cf-sa30', { name: 'c', region: 'us-central1' }, "at '/region': value must be 'me-central2'"],
    // Several allowed values.
    ['aws', 'cf-eu10', { name: 'c', region: 'mars-1' }, `at '/region': value must be one of ${AWS_REGIONS}`],
    ['aws', 'cf-eu10', { name: 'c', region: '' }, `at '/region': value must be one of ${AWS_REGIONS}`],
    // Required properties.
    ['aws', 'cf-eu10', { region: 'eu-central-1' }, "at '': missing property 'name'"],
    ['aws', 'cf-eu10', {}, "at '': missing property 'name'"],
    ['aws', 'cf-eu10', undefined, "at '': missing property 'name'"],
    ['trial', 'cf-eu10', {}, "at '': missing property 'name'"],
    ['own_cluster', 'cf-eu10', { name: 'c' }, "at '': missing properties 'kubeconfig', 'shootName', 'shootDomain'"],
    // Types and bounds.
    [
      'aws',
      'cf-eu10',
      { name: 'c', region: 'eu-central-1', autoScalerMin: '3' },
      "at '/autoScalerMin': got string, want integer",
    ],
    [
      'aws',
      'cf-eu10',
      { name: 'c', region: 'eu-central-1', autoScalerMax: 4.5 },
      "at '/autoScalerMax': got number, want integer",
    ],
    [
      'aws',
      'cf-eu10',
      { name: 'c', region: 'eu-central-1', autoScalerMin: 2 },
      "at '/autoScalerMin': minimum: got 2, want 3",
    ],
    [
      'aws',
      'cf-eu10',
      { name: 'c', region: 'eu-central-1', autoScalerMax: 301 },
      "at '/autoScalerMax': maximum: got 301, want 300",
    ],
    [
      'azure_lite',
      'cf-eu10',
      { name: 'c', region: 'eastus', autoScalerMax: 41 },
      "at '/autoScalerMax': maximum: got 41, want 40",
    ],
    ['aws', 'cf-eu10', { name: null, region: 'eu-central-1' }, "at '/name': got null, want string"],
    ['aws', 'cf-eu10', { name: '', region: 'eu-central-1' }, "at '/name': minLength: got 0, want 1"],
    ['aws', 'cf-eu10', { name: 'x'.repeat(65), region: 'eu-central-1' }, "at '/name': maxLength: got 65, want 64"],
    [
      'aws',
      'cf-eu10',
      { name: 'my_cluster', region: 'eu-central-1' },
      "at '/name': 'my_cluster' does not match pattern '^[a-zA-Z0-9-]*$'",
    ],
    [
      'aws',
      'cf-eu10',
      { name: 'c', region: 'eu-central-1', machineType: 'n2-standard-2' },
      "at '/machineType': value must be one of",
    ],
    [
      'aws',
      'cf-eu10',
      { name: 'c', region: 'eu-central-1', oidc: { clientID: 'x' } },
      "at '/oidc': missing property 'issuerURL'",
    ],
    [
      'aws',
      'cf-eu10',
      { name: 'c', region: 'eu-central-1', administrators: 'me' },
      "at '/administrators': got string, want array",
    ],
    [
      'aws',
      'cf-eu10',
      { name: 'c', region: 'eu-central-1', modules: {} },
      "at '/modules': oneOf failed, subschemas 0, 1 matched",
    ],
    [
      'aws',
      'cf-eu10',
      { name: 'c', region: 'eu-central-1', networking: {} },
      "at '/networking': missing property 'nodes'",
    ],
  ])('%s in %s refuses %j: %s', (plan, platformRegion, parameters, message) => {
    const err = failure(() => provision(plan, platformRegion, parameters));
    expect(err).toBeInstanceOf(BadRequestError);
    expect(err.message.startsWith(`while validating input parameters: ${message}`)).toBe(true);
  });

  it.each([
    ['x', 'string'],
    [[], 'array'],
    [5, 'number'],
  ])('refuses parameters %j that are not an object, naming parameters', (parameters, type) => {
    const err = failure(() => provision('aws', 'cf-eu10', parameters));
    expect(err).toBeInstanceOf(BadRequestError);
    expect(err.message).toBe(`while unmarshaling raw parameters: parameters must be a JSON object, got ${type}`);
  });

  it('refuses unknown, disabled and regionless plans like KEB/brokerapi', () => {
    expect(failure(() => service.validateProvisioning('nope', 'cf-eu10', {})).message).toBe(
      'plan ID "nope" is not recognized',
    );
    const few = catalogService({ ENABLED_PLANS: 'trial' });
    expect(failure(() => few.validateProvisioning(id('aws'), 'cf-eu10', {})).message).toBe(
      `plan ID "${id('aws')}" is not recognized`,
    );
    expect(failure(() => provision('sap-converged-cloud', 'cf-eu11', { name: 'c', region: 'eu-de-1' })).message).toBe(
      'plan-id not in the catalog',
    );
  });

  it("refuses min above max with KEB's 422 message", () => {
    const err = failure(() => provision('aws', 'cf-eu10', { name: 'c', region: 'eu-central-1', autoScalerMin: 25 }));
    expect(err).toBeInstanceOf(UnprocessableError);
    expect(err.message).toBe(
      'AutoScalerMax 20 should be larger than AutoScalerMin 25. User provided values min:25, max:<nil>; plan defaults min:3, max:20',
    );
  });

  it('fills the defaults and reports placement for a hyperscaler plan', () => {
    expect(provision('aws', 'cf-eu11', { name: 'c', region: 'eu-central-1' })).toEqual({
      parameters: { name: 'c', region: 'eu-central-1', machineType: 'm6i.large', autoScalerMin: 3, autoScalerMax: 20 },
      providerRegion: 'eu-central-1',
      provider: 'aws',
      shootProviderType: 'aws',
      euAccess: true,
      worker: { machineType: 'm6i.large', autoScalerMin: 3, autoScalerMax: 20 },
    });
    expect(provision('azure_lite', 'cf-eu10', { name: 'c', region: 'uksouth' }).parameters).toMatchObject({
      machineType: 'Standard_D2s_v5',
      autoScalerMin: 2,
      autoScalerMax: 10,
    });
    expect(provision('sap-converged-cloud', 'cf-eu02', { name: 'c', region: 'eu-de-1' })).toMatchObject({
      provider: 'sap-converged-cloud',
      shootProviderType: 'openstack',
      euAccess: true,
    });
  });

  it('keeps what the request sets and drops undeclared properties, as KEB does', () => {
    const params = {
      name: 'c',
      region: 'us-east-1',
      machineType: 'm5.xlarge',
      autoScalerMin: 4,
      autoScalerMax: 8,
      unknown: true,
      oidc: { clientID: 'id', issuerURL: 'https://issuer', extra: 1 },
      administrators: ['a@example.com'],
    };
    const validated = provision('aws', 'cf-eu10', params);
    expect(validated.parameters).toEqual({
      name: 'c',
      region: 'us-east-1',
      machineType: 'm5.xlarge',
      autoScalerMin: 4,
      autoScalerMax: 8,
      oidc: { clientID: 'id', issuerURL: 'https://issuer' },
      administrators: ['a@example.com'],
    });
    expect(validated.worker).toEqual({ machineType: 'm5.xlarge', autoScalerMin: 4, autoScalerMax: 8 });
    // The caller's object is not touched.
    expect(params.oidc.extra).toBe(1);
  });

  it('refuses undeclared properties when rejectUnsupportedParameters is set', () => {
    const strict = catalogService({}, { rejectUnsupportedParameters: true });
    const err = failure(() =>
      strict.validateProvisioning(id('aws'), 'cf-eu10', { name: 'c', region: 'eu-central-1', x: 1 }),
    );
    expect(err.message).toBe("while validating input parameters: at '': additional properties 'x' not allowed");
  });

  describe('without a region: the first allowed one (the default; KEB before #90)', () => {
    const lenient = catalogService();
    it.each([
      ['azure', 'cf-ch20', 'switzerlandnorth'],
      ['aws', 'cf-eu11', 'eu-central-1'],
      ['aws', 'cf-eu10', 'eu-central-1'],
      ['azure', 'cf-eu10', 'eastus'],
      ['gcp', 'cf-eu10', 'europe-west3'],
      ['gcp', 'cf-sa30', 'me-central2'],
      ['sap-converged-cloud', 'cf-eu01', 'eu-de-2'],
      ['free', 'cf-ch20', 'switzerlandnorth'],
    ])('%s in %s defaults to %s', (plan, platformRegion, region) => {
      const validated = lenient.validateProvisioning(id(plan), platformRegion, { name: 'c' });
      expect(validated.providerRegion).toBe(region);
      expect(validated.parameters.region).toBe(region);
    });
  });

  describe('with regionRequired (KEB since #90): REGION_REQUIRED, broker.regionRequired or the catalog option', () => {
    it.each([
      ['REGION_REQUIRED=true', catalogService({ REGION_REQUIRED: 'true' })],
      ['the catalog option', catalogService({}, { regionRequired: true })],
    ])("refuses a missing region with KEB's message (%s)", (_how, strict) => {
      const aws = strict.findPlanByName('aws')!.id;
      expect(failure(() => strict.validateProvisioning(aws, 'cf-eu10', { name: 'c' })).message).toBe(
        "while validating input parameters: at '': missing property 'region'",
      );
      expect(failure(() => strict.validateProvisioning(aws, 'cf-eu10', {})).message).toBe(
        "while validating input parameters: at '': missing properties 'name', 'region'",
      );
      expect(strict.validateProvisioning(aws, 'cf-eu11', { name: 'c', region: 'eu-central-1' }).providerRegion).toBe(
        'eu-central-1',
      );
    });

    it('lets the catalog option override the configuration', () => {
      const lenient = catalogService({ REGION_REQUIRED: 'true' }, { regionRequired: false });
      expect(
        lenient.validateProvisioning(lenient.findPlanByName('aws')!.id, 'cf-ch20', { name: 'c' }).providerRegion,
      ).toBe('eu-central-1');
    });
  });

  describe('free', () => {
    it.each([
      ['cf-ch20', 'switzerlandnorth', 'azure', 'Standard_D4s_v5'],
      ['cf-eu10', 'eu-west-2', 'aws', 'mi.xlarge'],
      ['cf-eu11', 'eu-central-1', 'aws', 'mi.xlarge'],
    ])('in %s runs in %s on %s', (platformRegion, region, provider, machineType) => {
      const validated = provision('free', platformRegion, { name: 'c', region });
      expect(validated).toMatchObject({ providerRegion: region, provider });
      expect(validated.worker).toEqual({ machineType, autoScalerMin: 1, autoScalerMax: 1 });
      expect(validated.parameters).toEqual({ name: 'c', region });
    });
  });

  describe('trial', () => {
    it.each([
      ['cf-eu11', {}, 'switzerlandnorth', true],
      ['cf-ch20', {}, 'switzerlandnorth', true],
      ['cf-eu10', {}, 'westeurope', false],
      ['cf-us10', { region: 'asia' }, 'eastus', false],
      ['cf-jp10', { region: 'asia' }, 'southeastasia', false],
      ['cf-jp10', {}, 'eastus', false],
    ])('in %s with %j runs on Azure in %s', (platformRegion, extra, region, euAccess) => {
      const validated = provision('trial', platformRegion, { name: 'c', ...extra });
      expect(validated).toMatchObject({ providerRegion: region, provider: 'azure', euAccess });
      expect(validated.parameters).toEqual({ name: 'c', ...extra });
      expect(validated.worker).toEqual({ machineType: 'Standard_D4s_v5', autoScalerMin: 1, autoScalerMax: 1 });
    });

    it("refuses a region that is not a trial area with KEB's message", () => {
      expect(failure(() => provision('trial', 'cf-eu10', { name: 'c', region: 'eu-central-1' })).message).toBe(
        'invalid region specified in request for trial',
      );
    });

    it('follows the configured trial provider', () => {
      const aws = catalogService({}, { trialProvider: 'aws' });
      expect(aws.validateProvisioning(id('trial'), 'cf-eu10', { name: 'c' })).toMatchObject({
        provider: 'aws',
        providerRegion: 'eu-west-1',
        worker: { machineType: 'mi.xlarge' },
      });
    });

    it('ignores machine settings it has no schema for', () => {
      const validated = provision('trial', 'cf-eu10', { name: 'c', machineType: 'huge', autoScalerMax: 99 });
      expect(validated.parameters).toEqual({ name: 'c' });
    });
  });

  it('own_cluster needs its kubeconfig and shoot and places nothing', () => {
    const validated = provision('own_cluster', 'cf-eu10', {
      name: 'c',
      kubeconfig: 'apiVersion: v1',
      shootName: 'my-shoot',
      shootDomain: 'my-shoot.example.com',
    });
    expect(validated).toEqual({
      parameters: {
        name: 'c',
        kubeconfig: 'apiVersion: v1',
        shootName: 'my-shoot',
        shootDomain: 'my-shoot.example.com',
      },
      providerRegion: '',
      provider: 'unknown',
      euAccess: false,
    });
  });
});

describe('CatalogService.validateUpdate', () => {
  const update = (plan: string, parameters: unknown, current?: Record<string, unknown>) =>
    service.validateUpdate(id(plan), 'cf-eu10', parameters, current);

  it('returns only what the update sets, without defaults, so it can be merged', () => {
    expect(update('aws', { autoScalerMax: 25, unknown: 1 })).toEqual({ parameters: { autoScalerMax: 25 } });
    expect(update('aws', { name: 'renamed' })).toEqual({ parameters: { name: 'renamed' } });
  });

  it.each([
    ['aws', { autoScalerMax: 301 }, "at '/autoScalerMax': maximum: got 301, want 300"],
    ['aws', { name: '' }, "at '/name': minLength: got 0, want 1"],
    ['aws', { machineType: 'Standard_D2s_v5' }, "at '/machineType': value must be one of"],
    ['azure_lite', { autoScalerMin: '2' }, "at '/autoScalerMin': got string, want integer"],
  ])("%s refuses %j with KEB's update wording", (plan, parameters, message) => {
    const err = failure(() => update(plan, parameters));
    expect(err).toBeInstanceOf(BadRequestError);
    expect(err.message.startsWith(`while validating update parameters: ${message}`)).toBe(true);
  });

  it('ignores region, which cannot change (not in the update schema)', () => {
    expect(update('aws', { region: 'us-east-1' })).toEqual({ parameters: {} });
  });

  it('checks min against max including the values the instance keeps', () => {
    expect(failure(() => update('aws', { autoScalerMin: 10 }, { autoScalerMax: 8 }))).toBeInstanceOf(
      UnprocessableError,
    );
    expect(update('aws', { autoScalerMin: 10 }, { autoScalerMax: 12 }).parameters).toEqual({ autoScalerMin: 10 });
  });

  it('validates updates of plans that are no longer enabled', () => {
    const few = catalogService({ ENABLED_PLANS: 'trial' });
    expect(few.validateUpdate(id('aws'), 'cf-eu10', { autoScalerMax: 30 })).toEqual({
      parameters: { autoScalerMax: 30 },
    });
    expect(failure(() => few.validateUpdate('nope', 'cf-eu10', {})).message).toBe('plan ID "nope" is not recognized');
  });

  it('refuses non-object parameters naming parameters', () => {
    expect(failure(() => update('aws', 'x')).message).toBe(
      'while unmarshaling raw parameters: parameters must be a JSON object, got string',
    );
  });
});
