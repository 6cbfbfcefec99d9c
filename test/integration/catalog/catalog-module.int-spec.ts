import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Body, Controller, DynamicModule, Get, INestApplication, Module, Param, Put, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CatalogModule } from '../../../src/catalog/catalog.module';
import { CatalogService } from '../../../src/catalog/catalog.service';
import type { JsonSchema, OsbCatalog } from '../../../src/catalog/catalog.types';
import { OsbErrorFilter } from '../../../src/common/osb-error.filter';
import { AppConfig } from '../../../src/config/app-config';
import { ConfigModule } from '../../../src/config/config.module';
import { loadConfig } from '../../../src/config/load-config';
import { EuAccessPolicy } from '../../../src/eu-access/eu-access.policy';

/** A stand-in for the broker's routes: just enough HTTP to see the catalog module's answers as a platform would. */
@Controller('oauth/:region/v2')
class CatalogProbeController {
  constructor(private readonly catalog: CatalogService) {}

  @Get('catalog')
  getCatalog(@Param('region') region: string): unknown {
    return this.catalog.getCatalog(region);
  }

  @Put('service_instances/:id')
  provision(@Param('region') region: string, @Body() body: { plan_id: string; parameters?: unknown }): unknown {
    return this.catalog.validateProvisioning(body.plan_id, region, body.parameters);
  }
}

function configWithYaml(yaml: string): AppConfig {
  const dir = mkdtempSync(join(tmpdir(), 'kbt-catalog-int-'));
  writeFileSync(join(dir, 'broker.yaml'), yaml);
  return loadConfig({ DATA_DIR: dir, BROKER_CONFIG: join(dir, 'broker.yaml'), LOG_LEVEL: 'silent' });
}

async function start(config: AppConfig, catalog: Type<unknown> | DynamicModule = CatalogModule) {
  @Module({ imports: [ConfigModule.forRoot(config), catalog], controllers: [CatalogProbeController] })
  class TestModule {}
  const app = await NestFactory.create(TestModule, { logger: false });
  app.useGlobalFilters(new OsbErrorFilter());
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as { port: number };
  return { app, url: `http://127.0.0.1:${port}` };
}

const AWS_PLAN_ID = '361c511f-f939-4621-b228-d0fb79a1fe15';
const TRIAL_PLAN_ID = '7d55d31d-35ae-4438-bf13-6ffdfa107d9f';

describe('CatalogModule wired by Nest', () => {
  let app: INestApplication;
  let url: string;

  beforeAll(async () => {
    const config = configWithYaml(
      [
        'regions:',
        '  aws:',
        '    cf-eu10: [eu-west-2, us-east-1]',
        'broker:',
        '  enabledPlans: [aws, trial, azure]',
      ].join('\n'),
    );
    ({ app, url } = await start(config));
  });

  afterAll(async () => {
    await app.close();
  });

  const put = async (region: string, body: unknown) => {
    const res = await fetch(`${url}/oauth/${region}/v2/service_instances/i-1`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  it('injects the policy and the service from the global configuration', () => {
    expect(app.get(EuAccessPolicy).allowedRegions('aws', 'cf-eu10')).toEqual(['eu-west-2', 'us-east-1']);
    expect(app.get(CatalogService).isPlanEnabled('gcp')).toBe(false);
  });

  it('serves the YAML regions and the enabled plans in the catalog JSON', async () => {
    const res = await fetch(`${url}/oauth/cf-eu10/v2/catalog`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as OsbCatalog;
    const plans = body.services[0].plans;
    expect(plans.map((p) => p.name)).toEqual(['aws', 'azure', 'trial']);
    const properties = plans[0].schemas.service_instance.create.parameters.properties as Record<string, JsonSchema>;
    expect(properties.region.enum).toEqual(['eu-west-2', 'us-east-1']);
  });

  it('answers an EU Access violation with 400 and the KEB description', async () => {
    const res = await put('cf-eu11', { plan_id: AWS_PLAN_ID, parameters: { name: 'c', region: 'us-west-2' } });
    expect(res).toEqual({
      status: 400,
      body: {
        description: "while validating input parameters: at '/region': value must be 'eu-central-1'",
      },
    });
  });

  it('answers min above max with 422', async () => {
    const res = await put('cf-eu10', {
      plan_id: AWS_PLAN_ID,
      parameters: { name: 'c', region: 'us-east-1', autoScalerMin: 30 },
    });
    expect(res.status).toBe(422);
    expect(res.body.description).toMatch(/^AutoScalerMax 20 should be larger than AutoScalerMin 30/);
  });

  it('accepts a valid request', async () => {
    const res = await put('cf-eu10', { plan_id: AWS_PLAN_ID, parameters: { name: 'c', region: 'us-east-1' } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ providerRegion: 'us-east-1', provider: 'aws', euAccess: false });
  });

  it('takes KEB settings through CatalogModule.withOptions', async () => {
    const config = configWithYaml('{}');
    const custom = await start(config, CatalogModule.withOptions({ trialProvider: 'aws' }));
    try {
      const res = await fetch(`${custom.url}/oauth/cf-us10/v2/service_instances/i-2`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ plan_id: TRIAL_PLAN_ID, parameters: { name: 'c' } }),
      });
      expect(await res.json()).toMatchObject({ provider: 'aws', providerRegion: 'us-east-1' });
    } finally {
      await custom.app.close();
    }
  });
});
