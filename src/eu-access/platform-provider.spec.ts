import { platformProviderOf } from './platform-provider';

describe('platformProviderOf', () => {
  it.each([
    ['cf-eu01', 'sap-converged-cloud'],
    ['cf-eu02', 'sap-converged-cloud'],
    ['cf-eu10', 'aws'],
    ['cf-eu11', 'aws'],
    ['cf-us10', 'aws'],
    ['cf-ch20', 'azure'],
    ['cf-ap21', 'azure'],
    ['cf-sa30', 'gcp'],
    ['cf-us30', 'gcp'],
    ['cf-cn40', 'alicloud'],
    ['cf-eu50', 'unknown'],
    ['local', 'unknown'],
    ['', 'unknown'],
  ])('derives %s → %s from the first digit', (platformRegion, provider) => {
    expect(platformProviderOf(platformRegion)).toBe(provider);
  });
});
