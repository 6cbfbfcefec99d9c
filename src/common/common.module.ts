import { DynamicModule, Global, Module } from '@nestjs/common';
import { Clock, SystemClock } from './clock';
import { InstanceEvents } from './instance-events';

/** Shared ports every module may use: the clock (tests pass a ManualClock) and instance events. */
@Global()
@Module({})
export class CommonModule {
  static forRoot(clock: Clock = new SystemClock()): DynamicModule {
    return {
      module: CommonModule,
      providers: [{ provide: Clock, useValue: clock }, InstanceEvents],
      exports: [Clock, InstanceEvents],
    };
  }
}
