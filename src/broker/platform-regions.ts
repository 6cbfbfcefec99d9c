import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { BadRequestError } from '../common/domain-errors';

const REGION_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** The {region} of /oauth/{region}/v2: validated, or broker.defaultRequestRegion when absent. */
@Injectable()
export class PlatformRegions {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  resolve(region: string | undefined): string {
    if (region === undefined || region === '') {
      return this.config.broker.defaultRequestRegion;
    }
    if (!REGION_PATTERN.test(region)) {
      throw new BadRequestError(`platform region "${region.slice(0, 64)}" is not valid (expected e.g. cf-eu10)`);
    }
    return region;
  }
}
