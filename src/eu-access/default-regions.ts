/**
 * KEB's region configuration (plansConfiguration.<plan>.regions), the lists its own tests and docs use:
 * kyma-environment-broker internal/broker/testdata/plans.yaml, docs/contributor/03-20-eu-access.md and
 * 03-60-regions-configuration.md. Per plan: platform region (or `default`) → cluster regions allowed there.
 * A platform region listed explicitly wins over `default`; a plan without either offers nothing there.
 *
 * trial and own_cluster take no region parameter and free borrows the aws/azure lists (see EuAccessPolicy),
 * so they have no entry here.
 */
export type RegionsByPlatformRegion = Readonly<Record<string, readonly string[]>>;

const AWS: RegionsByPlatformRegion = {
  // EU Access: an AWS subaccount in cf-eu11 may only create clusters in Frankfurt.
  'cf-eu11': ['eu-central-1'],
  default: [
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
  ],
};

const AZURE: RegionsByPlatformRegion = {
  // EU Access: an Azure subaccount in cf-ch20 may only create clusters in Switzerland.
  'cf-ch20': ['switzerlandnorth'],
  default: [
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
  ],
};

const GCP: RegionsByPlatformRegion = {
  // KSA: the cf-sa30 subaccounts stay in Dammam (assured workloads).
  'cf-sa30': ['me-central2'],
  default: [
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
  ],
};

/** No `default`: SAP Cloud Infrastructure is only offered where a platform region has its own data centre. */
const SAP_CONVERGED_CLOUD: RegionsByPlatformRegion = {
  'cf-eu20': ['eu-de-1'],
  'cf-ap10': ['ap-au-1'],
  'cf-us10': ['na-us-1'],
  'cf-jp10': ['ap-jp-1'],
  'cf-eu10': ['eu-de-2'],
  'cf-us20': ['na-us-2'],
  'cf-in30': ['ap-ae-1'],
  // EU Access pair: each of these platform regions owns exactly one German region.
  'cf-eu01': ['eu-de-2'],
  'cf-eu02': ['eu-de-1'],
};

export const KEB_DEFAULT_REGIONS: Readonly<Record<string, RegionsByPlatformRegion>> = {
  aws: AWS,
  // KEB configures preview together with aws ("preview,aws,build-runtime-aws").
  preview: AWS,
  azure: AZURE,
  azure_lite: AZURE,
  gcp: GCP,
  'sap-converged-cloud': SAP_CONVERGED_CLOUD,
};
