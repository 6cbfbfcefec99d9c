import { DynamicModule, Module } from '@nestjs/common';
import { EuAccessModule } from '../eu-access/eu-access.module';
import { CATALOG_OPTIONS, CatalogOptions } from './catalog-options';
import { CatalogService } from './catalog.service';

/** The OSB catalog and the plans' parameter schemas and validation. */
@Module({
  imports: [EuAccessModule],
  providers: [CatalogService],
  exports: [CatalogService],
})
export class CatalogModule {
  /** The same module with KEB settings AppConfig does not carry (plan upgrades, trial provider, ...). */
  static withOptions(options: Partial<CatalogOptions>): DynamicModule {
    return {
      module: CatalogModule,
      providers: [{ provide: CATALOG_OPTIONS, useValue: options }],
    };
  }
}
