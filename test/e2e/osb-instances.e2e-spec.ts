import { RunningBroker } from '../../src/bootstrap';
import { startTestBroker } from '../support/broker';
import { BACKENDS } from '../support/databases';
import { AWS_PLAN_ID, KYMA_SERVICE_ID, OsbClient, osbClientFor, uniqueId } from '../support/osb-client';

describe.each(BACKENDS)('OSB service instances (%s)', (backend) => {
  let broker: RunningBroker;
  let osb: OsbClient;

  beforeAll(async () => {
    broker = await startTestBroker({ backend });
    osb = await osbClientFor(broker);
  });
  afterAll(async () => {
    await broker.close();
  });

  it('serves the catalog with KEB ids under /oauth/v2 and /oauth/{region}/v2', async () => {
    for (const path of ['/oauth/v2/catalog', '/oauth/cf-eu10/v2/catalog']) {
      const res = await osb.request('GET', path);
      expect(res.status).toBe(200);
      const service = res.body.services[0];
      expect(service).toMatchObject({
        id: KYMA_SERVICE_ID,
        name: 'kymaruntime',
        instances_retrievable: true,
        bindings_retrievable: true,
      });
      expect(service.plans.map((p: { id: string }) => p.id)).toContain(AWS_PLAN_ID);
    }
  });

  it('refuses a missing, unparsable or old X-Broker-API-Version with 412', async () => {
    for (const version of [undefined, 'abc', '3.0', '2.13']) {
      const res = await fetch(`${broker.url}/oauth/v2/catalog`, {
        headers: { authorization: `Bearer ${osb.token}`, ...(version ? { 'x-broker-api-version': version } : {}) },
      });
      expect(res.status).toBe(412);
      expect(((await res.json()) as { description: string }).description).toMatch(/X-Broker-API-Version/);
    }
  });

  it('provisions asynchronously, polls to succeeded, fetches, deprovisions to 410', async () => {
    const id = uniqueId('e2e-prov');
    const accepted = await osb.provision(id);
    expect(accepted.status).toBe(202);
    expect(typeof accepted.body.operation).toBe('string');

    const repeat = await osb.provision(id);
    expect([200, 202]).toContain(repeat.status);

    const done = await osb.waitForOperation(id);
    expect(done.body).toMatchObject({ state: 'succeeded' });

    const fetched = await osb.request('GET', `/oauth/v2/service_instances/${id}`);
    expect(fetched.status).toBe(200);
    expect(fetched.body).toMatchObject({
      service_id: KYMA_SERVICE_ID,
      plan_id: AWS_PLAN_ID,
      parameters: { name: expect.any(String), region: 'eu-central-1' },
    });

    const again = await osb.provision(id);
    expect(again.status).toBe(200);

    const deleted = await osb.deprovision(id);
    expect(deleted.status).toBe(202);
    const gone = await osb.waitForOperation(id);
    expect(gone.status).toBe(410);
    expect(gone.body).toEqual({});
    expect((await osb.deprovision(id)).status).toBe(410);
    expect((await osb.request('GET', `/oauth/v2/service_instances/${id}`)).status).toBe(404);
  });

  it('requires accepts_incomplete=true (422 AsyncRequired)', async () => {
    const res = await osb.request('PUT', `/oauth/v2/service_instances/${uniqueId('e2e-sync')}`, {
      service_id: KYMA_SERVICE_ID,
      plan_id: AWS_PLAN_ID,
      parameters: { name: 'x', region: 'eu-central-1' },
    });
    expect(res.status).toBe(422);
    expect(res.body.error).toBe('AsyncRequired');
  });

  it('answers 409 for the same id with different attributes', async () => {
    const id = uniqueId('e2e-conflict');
    expect((await osb.provision(id)).status).toBe(202);
    const res = await osb.provision(id, { parameters: { name: 'other-name', region: 'eu-central-1' } });
    expect(res.status).toBe(409);
    expect(res.body.description).toMatch(/different attributes/);
  });

  it.each([
    [{ plan_id: AWS_PLAN_ID }, 'service_id'],
    [{ service_id: KYMA_SERVICE_ID }, 'plan_id'],
    [{ service_id: 'nope', plan_id: AWS_PLAN_ID }, 'service_id'],
    [{ service_id: KYMA_SERVICE_ID, plan_id: 'nope' }, 'plan_id'],
    [{ service_id: KYMA_SERVICE_ID, plan_id: AWS_PLAN_ID, parameters: 'x' }, 'parameters'],
    [{ service_id: KYMA_SERVICE_ID, plan_id: AWS_PLAN_ID, parameters: { region: 'eu-central-1' } }, 'name'],
    [{ service_id: KYMA_SERVICE_ID, plan_id: AWS_PLAN_ID, parameters: { name: 'x', region: 'mars-1' } }, 'region'],
  ])('refuses bad provisioning input %j with 400 naming %s', async (body, field) => {
    const res = await osb.request(
      'PUT',
      `/oauth/v2/service_instances/${uniqueId('e2e-bad')}?accepts_incomplete=true`,
      body,
    );
    expect(res.status).toBe(400);
    expect(res.body.description).toContain(field);
  });

  it('answers invalid JSON with 400 and unknown instances with 404/410', async () => {
    const res = await osb.request(
      'PUT',
      `/oauth/v2/service_instances/${uniqueId('e2e-json')}?accepts_incomplete=true`,
      '{"service_id":',
    );
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'BadRequest', description: 'request body is not valid JSON' });
    expect((await osb.lastOperation(uniqueId('nobody'))).status).toBe(404);
    expect((await osb.request('GET', `/oauth/v2/service_instances/${uniqueId('nobody')}`)).status).toBe(404);
    expect((await osb.deprovision(uniqueId('nobody'))).status).toBe(410);
  });

  it('answers ids and context values with a NUL byte with 400, not 500', async () => {
    expect((await osb.request('GET', '/oauth/v2/service_instances/a%00b')).status).toBe(400);
    expect((await osb.lastOperation('a%00b')).status).toBe(400);
    const res = await osb.provision(uniqueId('e2e-nul'), {
      context: { globalaccount_id: 'ga\u0000', subaccount_id: 'sa-1' },
    });
    expect(res.status).toBe(400);
    expect(res.body.description).toEqual(expect.any(String));
  });

  it('requires service_id and plan_id on deprovision', async () => {
    const res = await osb.request('DELETE', `/oauth/v2/service_instances/${uniqueId('x')}?accepts_incomplete=true`);
    expect(res.status).toBe(400);
    expect(res.body.description).toMatch(/service_id missing/);
  });

  it('updates parameters asynchronously and refuses an unsupported plan change', async () => {
    const id = uniqueId('e2e-upd');
    await osb.provisionReady(id);
    const upd = await osb.request('PATCH', `/oauth/v2/service_instances/${id}?accepts_incomplete=true`, {
      service_id: KYMA_SERVICE_ID,
      parameters: { autoScalerMax: 25 },
    });
    expect(upd.status).toBe(202);
    const done = await osb.waitForOperation(id);
    expect(done.body.state).toBe('succeeded');
    const fetched = await osb.request('GET', `/oauth/v2/service_instances/${id}`);
    expect(fetched.body.parameters.autoScalerMax).toBe(25);

    const sync = await osb.request('PATCH', `/oauth/v2/service_instances/${id}`, {
      service_id: KYMA_SERVICE_ID,
      parameters: { autoScalerMax: 26 },
    });
    expect(sync.status).toBe(422);
    expect(sync.body.error).toBe('AsyncRequired');
  });

  it('stores the originating identity as the creator', async () => {
    const id = uniqueId('e2e-ident');
    const identity = `cloudfoundry ${Buffer.from(JSON.stringify({ user_id: 'cf-user-42' })).toString('base64')}`;
    const res = await osb.request(
      'PUT',
      `/oauth/v2/service_instances/${id}?accepts_incomplete=true`,
      {
        service_id: KYMA_SERVICE_ID,
        plan_id: AWS_PLAN_ID,
        context: { subaccount_id: 'sa-ident' },
        parameters: { name: 'ident', region: 'eu-central-1' },
      },
      { 'x-broker-api-originating-identity': identity },
    );
    expect(res.status).toBe(202);
    const infoToken = osb.token;
    const info = await fetch(`${broker.url}/info/runtimes?instance_id=${id}`, {
      headers: { authorization: `Bearer ${infoToken}` },
    });
    const body = (await info.json()) as { data: Array<{ userID?: string }> };
    expect(body.data[0]?.userID).toBe('cf-user-42');
  });
});
