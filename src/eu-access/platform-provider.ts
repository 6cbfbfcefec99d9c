/**
 * The hyperscaler behind an SAP BTP platform region, as KEB derives it (internal/middleware/provider.go):
 * the first digit of the region name encodes it, e.g. cf-eu10 → AWS, cf-ch20 → Azure, cf-eu01 → SAP Cloud
 * Infrastructure (sap-converged-cloud).
 */
export type PlatformProvider = 'sap-converged-cloud' | 'aws' | 'azure' | 'gcp' | 'alicloud' | 'unknown';

const PROVIDER_BY_DIGIT: Readonly<Record<string, PlatformProvider>> = {
  '0': 'sap-converged-cloud',
  '1': 'aws',
  '2': 'azure',
  '3': 'gcp',
  '4': 'alicloud',
};

export function platformProviderOf(platformRegion: string): PlatformProvider {
  const digit = /[0-9]/.exec(platformRegion)?.[0];
  return (digit !== undefined && PROVIDER_BY_DIGIT[digit]) || 'unknown';
}
