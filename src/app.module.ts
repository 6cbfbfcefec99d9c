import { DynamicModule, Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { LoggerModule } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import { AuthModule } from './auth/auth.module';
import { BindingsModule } from './bindings/bindings.module';
import { BrokerModule } from './broker/broker.module';
import { CleanupModule } from './cleanup/cleanup.module';
import { Clock } from './common/clock';
import { CommonModule } from './common/common.module';
import { loggerParams } from './common/logging';
import { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { DevIssuerModule } from './dev-issuer/dev-issuer.module';
import { HealthModule } from './health/health.module';
import { KubeconfigGeneratorModule } from './kubeconfig-generator/kubeconfig-generator.module';
import { MetricsModule } from './metrics/metrics.module';
import { PersistenceModule } from './persistence/persistence.module';
import { ProvisioningApiModule } from './provisioning-api/provisioning-api.module';
import { RuntimesInfoModule } from './runtimes-info/runtimes-info.module';

export interface AppModuleOptions {
  config: AppConfig;
  dataSource: DataSource;
  /** Tests move time with a ManualClock. */
  clock?: Clock;
}

/** The broker's root module: every feature module is wired here, by dependency injection. */
@Module({})
export class AppModule {
  static forRoot(opts: AppModuleOptions): DynamicModule {
    const { config } = opts;
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot(loggerParams(config.logLevel)),
        PersistenceModule.forDataSource(opts.dataSource),
        CommonModule.forRoot(opts.clock),
        ScheduleModule.forRoot(),
        AuthModule.forRoot(config),
        // Local profile only: the UAA stand-in at /uaa (its key is also what AuthModule trusts there).
        ...(config.devIssuer.enabled ? [DevIssuerModule] : []),
        MetricsModule,
        HealthModule,
        BrokerModule,
        BindingsModule,
        CleanupModule,
        KubeconfigGeneratorModule,
        RuntimesInfoModule,
        ProvisioningApiModule,
      ],
    };
  }
}
