import { Module } from '@nestjs/common';
import { RuntimeCountsCompactor } from './runtime-counts.compactor';
import { RuntimesInfoController } from './runtimes-info.controller';
import { RuntimesInfoService } from './runtimes-info.service';
import { RuntimesRepository } from './runtimes.repository';

/** `GET /runtimes` and `GET /info/runtimes`: the paged, filtered runtime listing (read-only but for folding its counts; exports nothing). */
@Module({
  controllers: [RuntimesInfoController],
  providers: [RuntimesInfoService, RuntimesRepository, RuntimeCountsCompactor],
})
export class RuntimesInfoModule {}
