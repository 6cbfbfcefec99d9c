import { INestApplication, Module, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { ScheduleModule } from '@nestjs/schedule';
import { SwaggerModule } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { OsbErrorFilter } from '../../../src/common/osb-error.filter';
import { ConfigModule } from '../../../src/config/config.module';
import { PersistenceModule } from '../../../src/persistence/persistence.module';
import { RuntimesInfoController } from '../../../src/runtimes-info/runtimes-info.controller';
import { RuntimesInfoModule } from '../../../src/runtimes-info/runtimes-info.module';
import { REQUIRED_SCOPE_KEY } from '../../../src/auth/require-scope.decorator';
import { insertRuntimes, uniqueAccount } from '../../factories/instances';
import { BACKENDS } from '../../support/databases';
import { connect, runtimesConfig } from './runtimes-test-kit';

/** The module over HTTP with the app's query parser, pipe and error filter (authentication is the lead's wiring). */
async function startApp(ds: DataSource): Promise<{ app: INestApplication; url: string }> {
  @Module({
    imports: [
      ConfigModule.forRoot(runtimesConfig()),
      PersistenceModule.forDataSource(ds),
      ScheduleModule.forRoot(),
      RuntimesInfoModule,
    ],
  })
  class TestModule {}
  const app = await NestFactory.create<NestExpressApplication>(TestModule, { logger: false });
  app.set('query parser', 'extended');
  app.useGlobalFilters(new OsbErrorFilter());
  app.useGlobalPipes(new ValidationPipe({ transform: true, whitelist: true }));
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as { port: number };
  return { app, url: `http://127.0.0.1:${port}` };
}

describe.each(BACKENDS)('GET /runtimes over HTTP on %s', (backend) => {
  let ds: DataSource;
  let app: INestApplication;
  let url: string;

  beforeAll(async () => {
    ds = await connect(backend);
    ({ app, url } = await startApp(ds));
  });

  afterAll(async () => {
    await app.close();
    await ds.destroy();
  });

  const get = async (path: string) => {
    const res = await fetch(`${url}${path}`);
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  it('serves /runtimes and /info/runtimes with the same answer, repeated parameters as alternatives', async () => {
    const [a, b] = [uniqueAccount(), uniqueAccount()];
    await insertRuntimes(ds, 2, (n) => ({ globalAccountId: n === 0 ? a : b }));
    const path = `?account=${a}&account=${b}&page_size=1&page=2&op_detail=all`;
    const current = await get(`/runtimes${path}`);
    expect(current.status).toBe(200);
    expect(current.body).toMatchObject({ count: 1, totalCount: 2, data: [{ globalAccountID: b }] });
    await expect(get(`/info/runtimes${path}`)).resolves.toEqual(current);
  });

  it.each([
    ['page_size=abc', 'page_size has to be an integer'],
    ['page_size=1&page_size=2', 'page_size has to be one parameter'],
    ['page_size=101', 'page_size is bigger than maxPage(100)'],
    ['page=0', 'page cannot be smaller than 1'],
    ['state=running', 'state "running" is not one of'],
    ['account[x]=1', 'account has to be a string or a repeated string parameter'],
    ['cursor=bm90IGEgY3Vyc29y', 'cursor is not one this API handed out'],
    ['cursor=%00', 'cursor is not one this API handed out'],
    // Date.parse takes 30 February; PostgreSQL would refuse it (a 500 if it got that far).
    ['cursor=WyIyMDI2LTAyLTMwVDAwOjAwOjAwLjAwMDAwMFoiLCJ4Il0', 'cursor is not one this API handed out'],
    ['page=2&cursor=x', 'page and cursor cannot be used together'],
  ])('answers 400 {description} for ?%s', async (query, message) => {
    const { status, body } = await get(`/runtimes?${query}`);
    expect(status).toBe(400);
    expect(Object.keys(body)).toEqual(['description']);
    expect(body.description).toContain(`while getting query parameters: ${message}`);
  });

  it('hands out a cursor on full pages that the next request takes over HTTP', async () => {
    const account = uniqueAccount();
    await insertRuntimes(ds, 3, () => ({ globalAccountId: account }));
    const first = await get(`/info/runtimes?account=${account}&page_size=2`);
    expect(first.body).toMatchObject({ count: 2, totalCount: 3, nextCursor: expect.any(String) });
    const next = await get(
      `/info/runtimes?account=${account}&page_size=2&cursor=${encodeURIComponent(first.body.nextCursor as string)}`,
    );
    expect(next.status).toBe(200);
    expect(next.body).toMatchObject({ count: 1, totalCount: 3 });
    expect(next.body).not.toHaveProperty('nextCursor');
  });

  it('is marked for the runtimes-read scope', () => {
    expect(Reflect.getMetadata(REQUIRED_SCOPE_KEY, RuntimesInfoController)).toBe('runtimesRead');
  });

  it('documents both paths with every query parameter and the 200/400/401/403 answers', () => {
    const doc = SwaggerModule.createDocument(app, { openapi: '3.0.0', info: { title: 't', version: '1' } });
    for (const path of ['/runtimes', '/info/runtimes']) {
      const op = doc.paths[path].get!;
      expect(op.tags).toEqual(['runtimes']);
      const params = (op.parameters ?? []) as Array<{ name: string; in: string; schema?: { type?: string } }>;
      expect(params.map((p) => p.name).sort()).toEqual(
        [
          'page',
          'page_size',
          'cursor',
          'account',
          'subaccount',
          'instance_id',
          'runtime_id',
          'region',
          'shoot',
          'plan',
          'state',
          'platform_region',
        ].sort(),
      );
      expect(params.every((p) => p.in === 'query')).toBe(true);
      expect(params.find((p) => p.name === 'account')?.schema?.type).toBe('array');
      expect(Object.keys(op.responses).sort()).toEqual(['200', '400', '401', '403']);
      expect(op.security).toEqual([{ bearer: [] }]);
    }
    const runtime = doc.components?.schemas?.RuntimeDto as { required?: string[] };
    expect(runtime.required).toEqual(expect.arrayContaining(['instanceID', 'subAccountRegion', 'status', 'euAccess']));
  });
});
