import { DEFAULT_CATALOG_OPTIONS } from './catalog-options';
import { isTrialArea, trialRegion } from './trial-placement';

describe('trialRegion', () => {
  const areas = DEFAULT_CATALOG_OPTIONS.trialAreas;

  it.each([
    // EU Access wins over everything.
    ['azure', 'cf-eu11', true, 'us', 'switzerlandnorth'],
    ['aws', 'cf-ch20', true, undefined, 'eu-central-1'],
    // Then the platform region's configured area, even against the requested one.
    ['azure', 'cf-eu10', false, 'asia', 'westeurope'],
    ['azure', 'cf-us10', false, undefined, 'eastus'],
    ['azure', 'cf-ap21', false, undefined, 'southeastasia'],
    ['aws', 'cf-eu10', false, undefined, 'eu-west-1'],
    ['aws', 'cf-ap21', false, undefined, 'ap-southeast-1'],
    // Then the requested area.
    ['azure', 'cf-jp10', false, 'europe', 'westeurope'],
    ['aws', 'cf-jp10', false, 'us', 'us-east-1'],
    // Then KEB's fallback.
    ['azure', 'cf-jp10', false, undefined, 'eastus'],
    ['aws', 'cf-jp10', false, undefined, 'eu-west-1'],
  ] as const)('%s in %s (EU Access %s, asked %s) → %s', (provider, platformRegion, eu, asked, expected) => {
    expect(trialRegion(provider, platformRegion, eu, asked, areas)).toBe(expected);
  });

  it('knows the trial areas', () => {
    expect(['europe', 'us', 'asia'].every(isTrialArea)).toBe(true);
    expect(isTrialArea('eu-central-1')).toBe(false);
    expect(isTrialArea(1)).toBe(false);
  });
});
