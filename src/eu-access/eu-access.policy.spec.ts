import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../config/load-config';
import { ALL_PLAN_NAMES } from '../config/plan-names';
import { EuAccessPolicy } from './eu-access.policy';
import { RegionsConfigError } from './regions-table';

const AWS_DEFAULT = [
  'eu-central-1',
  'eu-west-2',
  'ca-central-1',
  'sa-east-1',
  'us-east-1',
  'us-west-2',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-south-1',
  'ap-southeast-1',
  'ap-southeast-2',
];
const AZURE_DEFAULT = [
  'eastus',
  'centralus',
  'westus2',
  'uksouth',
  'northeurope',
  'westeurope',
  'japaneast',
  'southeastasia',
  'australiaeast',
  'brazilsouth',
  'canadacentral',
];
const GCP_DEFAULT = [
  'europe-west3',
  'asia-south1',
  'us-central1',
  'me-central2',
  'asia-northeast2',
  'me-west1',
  'southamerica-east1',
  'australia-southeast1',
  'asia-northeast1',
  'asia-southeast1',
  'us-west1',
  'us-east4',
  'europe-west4',
];

function policy(env: Record<string, string> = {}, yaml?: string): EuAccessPolicy {
  const dir = mkdtempSync(join(tmpdir(), 'kbt-euaccess-'));
  const file = join(dir, 'broker.yaml');
  if (yaml !== undefined) {
    writeFileSync(file, yaml);
  }
  return new EuAccessPolicy(
    loadConfig({ DATA_DIR: dir, ...(yaml !== undefined ? { BROKER_CONFIG: file } : {}), ...env }),
  );
}

describe('EuAccessPolicy', () => {
  const defaults = policy();

  describe('isEuAccess', () => {
    it.each([
      ['cf-eu11', true],
      ['cf-ch20', true],
      ['cf-eu01', true],
      ['cf-eu02', true],
      ['cf-eu10', false],
      ['cf-us10', false],
      ['cf-eu20', false],
      ['', false],
    ])('%s → %s', (platformRegion, expected) => {
      expect(defaults.isEuAccess(platformRegion)).toBe(expected);
    });

    it('follows EU_ACCESS_PLATFORM_REGIONS', () => {
      const custom = policy({ EU_ACCESS_PLATFORM_REGIONS: 'cf-eu30' });
      expect(custom.isEuAccess('cf-eu30')).toBe(true);
      expect(custom.isEuAccess('cf-eu11')).toBe(false);
    });
  });

  it('derives the platform provider from the first digit', () => {
    expect(defaults.platformProvider('cf-eu01')).toBe('sap-converged-cloud');
    expect(defaults.platformProvider('cf-ch20')).toBe('azure');
  });

  describe('allowedRegions: every EU Access platform region × plan', () => {
    // Each EU Access platform region pins the plans of its own hyperscaler to an EU region; KEB has no other
    // entries for these platform regions, so other plans keep their default lists (or none: SAP CI).
    const matrix: Record<string, Record<string, readonly string[]>> = {
      'cf-eu11': {
        aws: ['eu-central-1'],
        preview: ['eu-central-1'],
        free: ['eu-central-1'],
        azure: AZURE_DEFAULT,
        azure_lite: AZURE_DEFAULT,
        gcp: GCP_DEFAULT,
        'sap-converged-cloud': [],
        trial: [],
        own_cluster: [],
      },
      'cf-ch20': {
        aws: AWS_DEFAULT,
        preview: AWS_DEFAULT,
        free: ['switzerlandnorth'],
        azure: ['switzerlandnorth'],
        azure_lite: ['switzerlandnorth'],
        gcp: GCP_DEFAULT,
        'sap-converged-cloud': [],
        trial: [],
        own_cluster: [],
      },
      'cf-eu01': {
        aws: AWS_DEFAULT,
        preview: AWS_DEFAULT,
        free: AWS_DEFAULT,
        azure: AZURE_DEFAULT,
        azure_lite: AZURE_DEFAULT,
        gcp: GCP_DEFAULT,
        'sap-converged-cloud': ['eu-de-2'],
        trial: [],
        own_cluster: [],
      },
      'cf-eu02': {
        aws: AWS_DEFAULT,
        preview: AWS_DEFAULT,
        free: AWS_DEFAULT,
        azure: AZURE_DEFAULT,
        azure_lite: AZURE_DEFAULT,
        gcp: GCP_DEFAULT,
        'sap-converged-cloud': ['eu-de-1'],
        trial: [],
        own_cluster: [],
      },
    };
    const rows = Object.entries(matrix).flatMap(([platformRegion, plans]) =>
      Object.entries(plans).map(([plan, regions]) => [platformRegion, plan, regions] as const),
    );

    it.each(rows)('%s: %s', (platformRegion, plan, expected) => {
      expect(defaults.isEuAccess(platformRegion)).toBe(true);
      expect(defaults.allowedRegions(plan, platformRegion)).toEqual(expected);
    });

    it('covers every plan the broker knows', () => {
      for (const plans of Object.values(matrix)) {
        expect(Object.keys(plans).sort()).toEqual([...ALL_PLAN_NAMES].sort());
      }
    });
  });

  describe('allowedRegions elsewhere', () => {
    it.each([
      ['aws', 'cf-eu10', AWS_DEFAULT],
      ['preview', 'cf-us10', AWS_DEFAULT],
      ['azure', 'cf-eu10', AZURE_DEFAULT],
      ['azure_lite', 'cf-ap21', AZURE_DEFAULT],
      ['gcp', 'cf-eu10', GCP_DEFAULT],
      ['gcp', 'cf-sa30', ['me-central2']],
      ['sap-converged-cloud', 'cf-eu20', ['eu-de-1']],
      ['sap-converged-cloud', 'cf-eu10', ['eu-de-2']],
      ['sap-converged-cloud', 'cf-us10', ['na-us-1']],
      ['sap-converged-cloud', 'cf-jp10', ['ap-jp-1']],
      // free: Azure platform regions borrow azure's list, all others aws's.
      ['free', 'cf-eu10', AWS_DEFAULT],
      ['free', 'cf-ap21', AZURE_DEFAULT],
      ['free', 'cf-sa30', AWS_DEFAULT],
      ['free', 'cf-eu20', AZURE_DEFAULT],
      // An unknown platform region gets the default lists, and nothing where a plan has no default.
      ['aws', 'xx-unknown', AWS_DEFAULT],
      ['azure', 'cf-zz99', AZURE_DEFAULT],
      ['sap-converged-cloud', 'xx-unknown', []],
      ['no-such-plan', 'cf-eu10', []],
    ])('%s in %s', (plan, platformRegion, expected) => {
      expect(defaults.allowedRegions(plan, platformRegion)).toEqual(expected);
    });
  });

  describe('regions from the YAML configuration', () => {
    const yaml = [
      'regions:',
      '  aws:',
      '    cf-eu10: [eu-west-2]',
      '    default: [us-east-1]',
      '  gcp:',
      '    cf-eu10: []',
      '  sap-converged-cloud:',
      '    default: [eu-de-1]',
    ].join('\n');
    const custom = policy({}, yaml);

    it('overrides per platform region and default, keeping the keys it does not name', () => {
      expect(custom.allowedRegions('aws', 'cf-eu10')).toEqual(['eu-west-2']);
      expect(custom.allowedRegions('aws', 'cf-us10')).toEqual(['us-east-1']);
      expect(custom.allowedRegions('aws', 'cf-eu11')).toEqual(['eu-central-1']);
      expect(custom.allowedRegions('sap-converged-cloud', 'cf-eu01')).toEqual(['eu-de-2']);
      expect(custom.allowedRegions('sap-converged-cloud', 'cf-zz00')).toEqual(['eu-de-1']);
    });

    it('withdraws a plan from a platform region with an empty list', () => {
      expect(custom.allowedRegions('gcp', 'cf-eu10')).toEqual([]);
      expect(custom.allowedRegions('gcp', 'cf-us10')).toEqual(GCP_DEFAULT);
    });

    it('lets free follow the overridden aws list and leaves preview alone', () => {
      expect(custom.allowedRegions('free', 'cf-us10')).toEqual(['us-east-1']);
      expect(custom.allowedRegions('preview', 'cf-us10')).toEqual(AWS_DEFAULT);
    });

    it.each([
      ['regions: [aws]', 'regions must map'],
      ['regions:\n  aws: [eu-west-2]', 'regions.aws must map'],
      ['regions:\n  aws:\n    cf-eu10: eu-west-2', 'regions.aws.cf-eu10 must be a list'],
      ['regions:\n  aws:\n    cf-eu10: [1]', 'regions.aws.cf-eu10 must be a list'],
    ])('refuses %j at start-up', (bad, message) => {
      expect(() => policy({}, bad)).toThrow(RegionsConfigError);
      expect(() => policy({}, bad)).toThrow(message);
    });
  });
});
