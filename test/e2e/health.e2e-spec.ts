import { RunningBroker } from '../../src/bootstrap';
import { BACKENDS } from '../support/databases';
import { startTestBroker } from '../support/broker';

describe.each(BACKENDS)('health endpoints (%s)', (backend) => {
  let broker: RunningBroker;
  beforeAll(async () => {
    broker = await startTestBroker({ backend });
  });
  afterAll(async () => {
    await broker.close();
  });

  it('answers liveness without auth', async () => {
    const res = await fetch(`${broker.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('reports the database in readiness', async () => {
    const res = await fetch(`${broker.url}/readyz`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { details: { database: { status: string } } };
    expect(body.details.database.status).toBe('up');
  });

  it('answers an unknown route with an OSB error body', async () => {
    const res = await fetch(`${broker.url}/no/such/route`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: 'NotFound', description: 'no route for GET /no/such/route' });
  });

  it('exports request latency per route template on /metrics', async () => {
    await fetch(`${broker.url}/oauth/v2/service_instances/some-id`);
    const text = await (await fetch(`${broker.url}/metrics`)).text();
    expect(text).toMatch(
      /kyma_broker_http_request_duration_seconds_count\{method="GET",route="\/oauth\/v2\/service_instances\/:instance_id",status="401"\} 1/,
    );
    expect(text).not.toContain('some-id');
  });
});
