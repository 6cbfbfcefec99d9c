import type { Hyperscaler } from './plans';

/** Areas a trial runtime can be placed in (KEB's TrialCloudRegion). */
export type TrialArea = 'europe' | 'us' | 'asia';

/**
 * KEB settings of the catalog that AppConfig does not carry (yet). Defaults are KEB's Helm defaults; provide
 * CATALOG_OPTIONS to change them.
 */
export interface CatalogOptions {
  /**
   * Whether `region` is required. Default: config broker.regionRequired (REGION_REQUIRED), itself false, so a
   * missing region means the first allowed one (issue 6); true is KEB's behaviour since #90 (2023).
   */
  regionRequired: boolean;
  /** broker.rejectUnsupportedParameters: `additionalProperties: false` on the schemas. */
  rejectUnsupportedParameters: boolean;
  /** broker.enablePlanUpgrades. */
  enablePlanUpgrades: boolean;
  /** plansConfiguration.<plan>.upgradableToPlans. */
  upgradableToPlans: Readonly<Record<string, readonly string[]>>;
  /** infrastructureManager.defaultTrialProvider. */
  trialProvider: Extract<Hyperscaler, 'aws' | 'azure'>;
  /** trialRegionsMapping: platform region → trial area. */
  trialAreas: Readonly<Record<string, TrialArea>>;
  /** Default release channel of Kyma modules (KEB reads it from the Kyma template; Helm's says fast). */
  defaultModuleChannel: 'regular' | 'fast';
}

export const CATALOG_OPTIONS = Symbol('CATALOG_OPTIONS');

export const DEFAULT_CATALOG_OPTIONS: CatalogOptions = {
  regionRequired: false,
  rejectUnsupportedParameters: false,
  enablePlanUpgrades: false,
  // KEB's plans configuration: plan changes only towards the build-runtime plans, which this broker does not
  // offer, so by default no plan change is possible.
  upgradableToPlans: {
    aws: ['build-runtime-aws'],
    preview: ['build-runtime-aws'],
    azure: ['build-runtime-azure'],
  },
  trialProvider: 'azure',
  trialAreas: { 'cf-eu10': 'europe', 'cf-us10': 'us', 'cf-ap21': 'asia' },
  defaultModuleChannel: 'fast',
};
