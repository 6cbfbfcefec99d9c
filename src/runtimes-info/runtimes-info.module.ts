import { Module } from '@nestjs/common';
import { RuntimesInfoController } from './runtimes-info.controller';
import { RuntimesInfoService } from './runtimes-info.service';
import { RuntimesRepository } from './runtimes.repository';

/** `GET /runtimes` and `GET /info/runtimes`: the paged, filtered runtime listing (read-only; exports nothing). */
@Module({
  controllers: [RuntimesInfoController],
  providers: [RuntimesInfoService, RuntimesRepository],
})
export class RuntimesInfoModule {}
