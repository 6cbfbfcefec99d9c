import { Module } from '@nestjs/common';
import { EuAccessPolicy } from './eu-access.policy';

/** EU Access and region policy: which cluster regions each plan may use from each platform region. */
@Module({
  providers: [EuAccessPolicy],
  exports: [EuAccessPolicy],
})
export class EuAccessModule {}
