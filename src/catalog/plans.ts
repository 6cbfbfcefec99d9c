/**
 * The plans the broker knows, with KEB's ids and names (internal/broker/plans.go; own_cluster from before its
 * removal in KEB #2724) and the per-plan facts KEB keeps in its plans configuration and provider code:
 * machine types (internal/broker/testdata/plans.yaml, the first one is the default), autoscaler bounds
 * (internal/broker/plans_schema.go, schemas.go) and defaults (internal/provider/*.go).
 */
export type PlanName =
  'aws' | 'azure' | 'azure_lite' | 'gcp' | 'sap-converged-cloud' | 'trial' | 'free' | 'preview' | 'own_cluster';

/** Hyperscalers a runtime can run on (names as EuAccessPolicy.platformProvider spells them). */
export type Hyperscaler = 'aws' | 'azure' | 'gcp' | 'sap-converged-cloud';

/** Gardener's `spec.provider.type` of the shoot. */
export type ShootProviderType = 'aws' | 'azure' | 'gcp' | 'openstack';

export const SHOOT_PROVIDER_TYPE: Readonly<Record<Hyperscaler, ShootProviderType>> = {
  aws: 'aws',
  azure: 'azure',
  gcp: 'gcp',
  'sap-converged-cloud': 'openstack',
};

/**
 * Schema families, as KEB builds them: `hyperscaler` (region, machine type, autoscaler, networking, ...),
 * `free` (name + region), `trial` (name only) and `own_cluster` (name + kubeconfig + shoot name/domain).
 */
export type SchemaFamily = 'hyperscaler' | 'free' | 'trial' | 'own_cluster';

/** Where a plan's runtime runs: a fixed hyperscaler, the platform region's (free), the trial provider, or none. */
export type PlanPlacement = Hyperscaler | 'platform-provider' | 'trial-provider' | 'customer-cluster';

export interface AutoscalerSpec {
  /** Bounds of both autoScalerMin and autoScalerMax in the schema. */
  minimum: number;
  maximum: number;
  defaultMin: number;
  defaultMax: number;
}

export interface PlanSpec {
  id: string;
  name: PlanName;
  displayName: string;
  description: string;
  placement: PlanPlacement;
  schema: SchemaFamily;
  /** Machine types offered in the schema; the first is the default. Empty when the plan has no machineType. */
  machineTypes: readonly string[];
  autoscaler?: AutoscalerSpec;
  /** KEB's infrastructureManager.ingressFilteringPlans default: azure, gcp, aws. */
  ingressFiltering: boolean;
}

/** KEB: HA runtimes need at least 3 nodes; the autoscaler may grow to 300, by default to 20. */
const HA_AUTOSCALER: AutoscalerSpec = { minimum: 3, maximum: 300, defaultMin: 3, defaultMax: 20 };

const AWS_MACHINES = [
  'm6i.large',
  'm6i.xlarge',
  'm6i.2xlarge',
  'm6i.4xlarge',
  'm6i.8xlarge',
  'm6i.12xlarge',
  'm6i.16xlarge',
  'm5.large',
  'm5.xlarge',
  'm5.2xlarge',
  'm5.4xlarge',
  'm5.8xlarge',
  'm5.12xlarge',
  'm5.16xlarge',
];

const AZURE_MACHINES = [
  'Standard_D2s_v5',
  'Standard_D4s_v5',
  'Standard_D8s_v5',
  'Standard_D16s_v5',
  'Standard_D32s_v5',
  'Standard_D48s_v5',
  'Standard_D64s_v5',
  'Standard_D4_v3',
  'Standard_D8_v3',
  'Standard_D16_v3',
  'Standard_D32_v3',
  'Standard_D48_v3',
  'Standard_D64_v3',
];

const GCP_MACHINES = [
  'n2-standard-2',
  'n2-standard-4',
  'n2-standard-8',
  'n2-standard-16',
  'n2-standard-32',
  'n2-standard-48',
  'n2-standard-64',
];

const SAP_CONVERGED_CLOUD_MACHINES = [
  'g_c2_m8',
  'g_c4_m16',
  'g_c6_m24',
  'g_c8_m32',
  'g_c12_m48',
  'g_c16_m64',
  'g_c32_m128',
  'g_c64_m256',
];

export const PLANS: readonly PlanSpec[] = [
  {
    id: '361c511f-f939-4621-b228-d0fb79a1fe15',
    name: 'aws',
    displayName: 'AWS',
    description: 'Kyma runtime on Amazon Web Services',
    placement: 'aws',
    schema: 'hyperscaler',
    machineTypes: AWS_MACHINES,
    autoscaler: HA_AUTOSCALER,
    ingressFiltering: true,
  },
  {
    id: '4deee563-e5ec-4731-b9b1-53b42d855f0c',
    name: 'azure',
    displayName: 'Azure',
    description: 'Kyma runtime on Microsoft Azure',
    placement: 'azure',
    schema: 'hyperscaler',
    machineTypes: AZURE_MACHINES,
    autoscaler: HA_AUTOSCALER,
    ingressFiltering: true,
  },
  {
    id: '8cb22518-aa26-44c5-91a0-e669ec9bf443',
    name: 'azure_lite',
    displayName: 'Azure Lite',
    description: 'Smaller, lower-cost Kyma runtime on Microsoft Azure',
    placement: 'azure',
    schema: 'hyperscaler',
    machineTypes: ['Standard_D2s_v5', 'Standard_D4s_v5', 'Standard_D4_v3'],
    // KEB's AzureLiteSchema: 2..40 nodes, 2..10 by default.
    autoscaler: { minimum: 2, maximum: 40, defaultMin: 2, defaultMax: 10 },
    ingressFiltering: false,
  },
  {
    id: 'ca6e5357-707f-4565-bbbd-b3ab732597c6',
    name: 'gcp',
    displayName: 'GCP',
    description: 'Kyma runtime on Google Cloud',
    placement: 'gcp',
    schema: 'hyperscaler',
    machineTypes: GCP_MACHINES,
    autoscaler: HA_AUTOSCALER,
    ingressFiltering: true,
  },
  {
    id: '03b812ac-c991-4528-b5bd-08b303523a63',
    name: 'sap-converged-cloud',
    displayName: 'SAP Converged Cloud',
    description: 'Kyma runtime on SAP Cloud Infrastructure',
    placement: 'sap-converged-cloud',
    schema: 'hyperscaler',
    machineTypes: SAP_CONVERGED_CLOUD_MACHINES,
    autoscaler: HA_AUTOSCALER,
    ingressFiltering: false,
  },
  {
    id: '7d55d31d-35ae-4438-bf13-6ffdfa107d9f',
    name: 'trial',
    displayName: 'Trial',
    description: 'Time-limited single-node Kyma runtime for evaluation',
    placement: 'trial-provider',
    schema: 'trial',
    machineTypes: [],
    ingressFiltering: false,
  },
  {
    id: 'b1a5764e-2ea1-4f95-94c0-2b4538b37b55',
    name: 'free',
    displayName: 'Free',
    description: 'Single-node Kyma runtime free of charge, on the hyperscaler of the subaccount',
    placement: 'platform-provider',
    schema: 'free',
    machineTypes: [],
    ingressFiltering: false,
  },
  {
    id: '5cb3d976-b85c-42ea-a636-79cadda109a9',
    name: 'preview',
    displayName: 'Preview',
    description: 'Kyma runtime on Amazon Web Services with features still in preview',
    // KEB provisions preview with its AWS input provider and AWS schemas.
    placement: 'aws',
    schema: 'hyperscaler',
    machineTypes: AWS_MACHINES,
    autoscaler: HA_AUTOSCALER,
    ingressFiltering: false,
  },
  {
    id: '03e3cb66-a4c6-4c6a-b4b0-5d42224debea',
    name: 'own_cluster',
    displayName: 'Own Cluster',
    description: 'Kyma installed on an existing cluster that you provide by its kubeconfig',
    placement: 'customer-cluster',
    schema: 'own_cluster',
    machineTypes: [],
    ingressFiltering: false,
  },
];

/** Node settings of single-node plans (trial, free) per hyperscaler: KEB's *TrialInputProvider/*FreemiumInputProvider. */
export const SINGLE_NODE_MACHINE: Readonly<Partial<Record<Hyperscaler, string>>> = {
  aws: 'mi.xlarge',
  azure: 'Standard_D4s_v5',
};
