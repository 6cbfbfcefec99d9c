import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { KEB_DEFAULT_REGIONS, RegionsByPlatformRegion } from './default-regions';
import { PlatformProvider, platformProviderOf } from './platform-provider';
import { lookupRegions, mergeRegions } from './regions-table';

/** Plans whose runtimes are not placed by a region parameter (KEB: trial derives it, own_cluster has none). */
const PLANS_WITHOUT_REGION_PARAMETER: ReadonlySet<string> = new Set(['trial', 'own_cluster']);

/**
 * Which cluster regions a plan may use from a given SAP BTP platform region. EU Access is enforced through
 * this table, as in KEB: for the EU Access platform regions it names only EU regions (cf-eu11 → eu-central-1,
 * cf-ch20 → switzerlandnorth, cf-eu01 → eu-de-2, cf-eu02 → eu-de-1), and the catalog turns that into the
 * schema's `region` enum, so a request for another region fails validation.
 */
@Injectable()
export class EuAccessPolicy {
  private readonly euAccessRegions: ReadonlySet<string>;
  private readonly regions: ReadonlyMap<string, RegionsByPlatformRegion>;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.euAccessRegions = new Set(config.euAccessPlatformRegions);
    this.regions = mergeRegions(KEB_DEFAULT_REGIONS, config.regions);
  }

  /** KEB's IsEURestrictedAccess, with the list configurable (default cf-eu11, cf-ch20, cf-eu01, cf-eu02). */
  isEuAccess(platformRegion: string): boolean {
    return this.euAccessRegions.has(platformRegion);
  }

  platformProvider(platformRegion: string): PlatformProvider {
    return platformProviderOf(platformRegion);
  }

  /**
   * Allowed values of the plan's `region` parameter in this platform region; empty when the plan is not
   * offered there or takes no region parameter (trial, own_cluster). `free` follows KEB: the azure plan's
   * regions when the platform region runs on Azure, the aws plan's otherwise.
   */
  allowedRegions(planName: string, platformRegion: string): readonly string[] {
    if (PLANS_WITHOUT_REGION_PARAMETER.has(planName)) {
      return [];
    }
    if (planName === 'free') {
      const source = this.platformProvider(platformRegion) === 'azure' ? 'azure' : 'aws';
      return lookupRegions(this.regions, source, platformRegion);
    }
    return lookupRegions(this.regions, planName, platformRegion);
  }
}
