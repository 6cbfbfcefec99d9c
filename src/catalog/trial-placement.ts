import type { CatalogOptions, TrialArea } from './catalog-options';

type TrialProvider = CatalogOptions['trialProvider'];

/** KEB's trial cluster regions per provider and area (internal/provider/aws.go, azure.go). */
const TRIAL_REGIONS: Readonly<Record<TrialProvider, Record<TrialArea, string>>> = {
  aws: { europe: 'eu-west-1', us: 'us-east-1', asia: 'ap-southeast-1' },
  azure: { europe: 'westeurope', us: 'eastus', asia: 'southeastasia' },
};

/** Where a trial runs when nothing else decides: KEB's DefaultAWSTrialRegion / DefaultAzureRegion. */
const TRIAL_FALLBACK: Readonly<Record<TrialProvider, string>> = { aws: 'eu-west-1', azure: 'eastus' };

/** EU Access platform regions keep trials in the EU (KEB's DefaultEuAccessAWSRegion / ...AzureRegion). */
const TRIAL_EU_ACCESS: Readonly<Record<TrialProvider, string>> = { aws: 'eu-central-1', azure: 'switzerlandnorth' };

export const TRIAL_AREAS: readonly TrialArea[] = ['europe', 'us', 'asia'];

export function isTrialArea(value: unknown): value is TrialArea {
  return typeof value === 'string' && (TRIAL_AREAS as readonly string[]).includes(value);
}

/**
 * The trial's cluster region, in KEB's order of precedence: EU Access platform region, the platform region's
 * configured area (trialRegionsMapping), the area the request names (`region`: europe|us|asia), the fallback.
 */
export function trialRegion(
  provider: TrialProvider,
  platformRegion: string,
  euAccess: boolean,
  requestedArea: TrialArea | undefined,
  areas: CatalogOptions['trialAreas'],
): string {
  if (euAccess) {
    return TRIAL_EU_ACCESS[provider];
  }
  const area = (Object.hasOwn(areas, platformRegion) ? areas[platformRegion] : undefined) ?? requestedArea;
  return area ? TRIAL_REGIONS[provider][area] : TRIAL_FALLBACK[provider];
}
