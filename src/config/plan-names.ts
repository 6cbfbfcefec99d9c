/** Plan names the broker knows (KEB's names). The catalog module owns their ids and schemas. */
export const ALL_PLAN_NAMES: readonly string[] = [
  'aws',
  'azure',
  'azure_lite',
  'gcp',
  'sap-converged-cloud',
  'trial',
  'free',
  'preview',
  'own_cluster',
];
