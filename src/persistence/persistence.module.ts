import { DynamicModule, Global, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';

/**
 * Provides the TypeORM DataSource opened before the app is created (see bootstrap), so start-up fails
 * early on a bad database. Bootstrap closes it after the app, so no shutdown hook races the engine.
 */
@Global()
@Module({})
export class PersistenceModule {
  static forDataSource(dataSource: DataSource): DynamicModule {
    return {
      module: PersistenceModule,
      providers: [{ provide: DataSource, useValue: dataSource }],
      exports: [DataSource],
    };
  }
}
