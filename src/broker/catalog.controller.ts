import { Controller, Get, Header, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { CatalogService } from '../catalog/catalog.service';
import { OsbApi } from './osb-api.decorator';
import { PlatformRegions } from './platform-regions';
import { RequireScope } from '../auth/require-scope.decorator';

export const OSB_PREFIXES = ['oauth/v2', 'oauth/:region/v2'];

@ApiTags('OSB catalog')
@Controller(OSB_PREFIXES)
@OsbApi()
@RequireScope('osb')
export class CatalogController {
  constructor(
    private readonly catalog: CatalogService,
    private readonly regions: PlatformRegions,
  ) {}

  @Get('catalog')
  @Header('Cache-Control', 'no-cache')
  @Header('Content-Type', 'application/json; charset=utf-8')
  @ApiOperation({
    summary: 'The service catalog for a platform region',
    description:
      'Plans offered in the platform region ({region}, or broker.defaultRequestRegion on /oauth/v2) with their provisioning schemas; EU Access regions restrict the cluster regions.',
  })
  @ApiParam({ name: 'region', required: false, description: 'SAP BTP platform region', example: 'cf-eu10' })
  @ApiOkResponse({
    description: 'OSB catalog',
    schema: { example: { services: [{ id: '47c9dcbf-ff30-448e-ab36-d3bad66ba281', name: 'kymaruntime', plans: [] }] } },
  })
  getCatalog(@Param('region') region?: string): string {
    // Serialised once per platform region: the catalog is ~60 KB and the hottest OSB route.
    return this.catalog.getCatalogJson(this.regions.resolve(region));
  }
}
