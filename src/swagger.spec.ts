import type { OpenAPIObject } from '@nestjs/swagger';
import { normalizeMountedRoutes } from './swagger';

const region = { name: 'region', in: 'path' as const, required: false, schema: { type: 'string' as const } };
const id = { name: 'instance_id', in: 'path' as const, required: true, schema: { type: 'string' as const } };
const header = { name: 'X-Broker-API-Version', in: 'header' as const, required: true };

describe('normalizeMountedRoutes', () => {
  const doc = (): OpenAPIObject => ({
    openapi: '3.0.0',
    info: { title: 't', version: '1' },
    paths: {
      '/oauth/v2/service_instances/{instance_id}': {
        get: { operationId: 'Instances_get[0]', parameters: [header, id, region], responses: {} },
      },
      '/oauth/{region}/v2/service_instances/{instance_id}': {
        get: { operationId: 'Instances_get[1]', parameters: [header, id, region], responses: {} },
      },
      '/healthz': { get: { operationId: 'Health_live', responses: {} } },
    },
  });

  it('keeps only the path parameters of each copy’s own template, required, and names the copies', () => {
    const out = normalizeMountedRoutes(doc());
    const plain = out.paths['/oauth/v2/service_instances/{instance_id}'].get!;
    const regional = out.paths['/oauth/{region}/v2/service_instances/{instance_id}'].get!;
    expect(plain.parameters).toEqual([header, id]);
    expect(plain.operationId).toBe('Instances_get');
    expect(regional.operationId).toBe('Instances_getInRegion');
    expect(regional.parameters).toEqual([
      header,
      id,
      expect.objectContaining({ name: 'region', in: 'path', required: true, examples: expect.any(Object) }),
    ]);
    expect(out.paths['/healthz'].get!.operationId).toBe('Health_live');
  });

  it('keeps operation ids unique', () => {
    const d = doc();
    d.paths['/other'] = { get: { operationId: 'Instances_get', responses: {} } };
    const ids = Object.values(normalizeMountedRoutes(d).paths).map((item) => item.get!.operationId);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
