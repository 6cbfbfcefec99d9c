import { RunningBroker } from '../../src/bootstrap';
import { startTestBroker } from '../support/broker';
import { BACKENDS } from '../support/databases';
import { kubectl } from '../support/kubectl';
import { KYMA_SERVICE_ID, OsbClient, osbClientFor, uniqueId } from '../support/osb-client';
import { readFileSync } from 'node:fs';

const PLAN_IDS = {
  aws: '361c511f-f939-4621-b228-d0fb79a1fe15',
  azure: '4deee563-e5ec-4731-b9b1-53b42d855f0c',
  'sap-converged-cloud': '03b812ac-c991-4528-b5bd-08b303523a63',
};

const AWS_DEFAULT = [
  'eu-central-1',
  'eu-west-2',
  'ca-central-1',
  'sa-east-1',
  'us-east-1',
  'us-west-2',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-south-1',
  'ap-southeast-1',
  'ap-southeast-2',
];

interface CatalogPlan {
  id: string;
  name: string;
  schemas: { service_instance: { create: { parameters: { properties: Record<string, { enum?: string[] }> } } } };
}

/** EU Access over HTTP with real tokens: catalog per platform region, region validation, what is stored. */
describe.each(BACKENDS)('EU Access and per-platform-region catalog (%s)', (backend) => {
  let broker: RunningBroker;
  let osb: OsbClient;

  beforeAll(async () => {
    broker = await startTestBroker({ backend });
    osb = await osbClientFor(broker);
  });
  afterAll(async () => {
    await broker.close();
  });

  async function plans(prefix: string): Promise<Map<string, CatalogPlan>> {
    const res = await osb.request('GET', `/oauth${prefix}/v2/catalog`);
    expect(res.status).toBe(200);
    const all = (res.body.services as Array<{ plans: CatalogPlan[] }>).flatMap((s) => s.plans);
    return new Map(all.map((p) => [p.name, p]));
  }
  const regionEnum = (plan: CatalogPlan | undefined) =>
    plan?.schemas.service_instance.create.parameters.properties.region?.enum;

  function provision(prefix: string, plan: keyof typeof PLAN_IDS, parameters: Record<string, unknown>) {
    const id = uniqueId('e2e-eu');
    return osb
      .request('PUT', `/oauth${prefix}/v2/service_instances/${id}?accepts_incomplete=true`, {
        service_id: KYMA_SERVICE_ID,
        plan_id: PLAN_IDS[plan],
        context: { globalaccount_id: 'ga-eu', subaccount_id: `sa-${id}`, user_id: 'eu@example.com' },
        parameters,
      })
      .then((res) => ({ id, res }));
  }

  async function runtime(instanceId: string) {
    const res = await osb.request('GET', `/info/runtimes?instance_id=${instanceId}`);
    expect(res.status).toBe(200);
    expect(res.body.data).toHaveLength(1);
    return res.body.data[0];
  }

  it('cf-eu11 restricts the aws plan to eu-central-1, cf-eu10 offers the full list', async () => {
    const eu11 = await plans('/cf-eu11');
    const eu10 = await plans('/cf-eu10');
    expect(regionEnum(eu11.get('aws'))).toEqual(['eu-central-1']);
    expect(regionEnum(eu10.get('aws'))).toEqual(AWS_DEFAULT);
    // /oauth/v2 is the default request region (cf-eu10).
    expect(regionEnum((await plans('')).get('aws'))).toEqual(AWS_DEFAULT);
    // Only the aws plan's region list differs for azure in cf-eu11: it is not an Azure platform region.
    expect(regionEnum(eu11.get('azure'))).toEqual(regionEnum(eu10.get('azure')));
  });

  it('cf-ch20 restricts the azure plan to switzerlandnorth', async () => {
    const ch20 = await plans('/cf-ch20');
    expect(regionEnum(ch20.get('azure'))).toEqual(['switzerlandnorth']);
    expect(regionEnum(ch20.get('azure_lite'))).toEqual(['switzerlandnorth']);
    expect(regionEnum(ch20.get('aws'))).toEqual(AWS_DEFAULT);
  });

  it('leaves out plans without an allowed region in the platform region', async () => {
    expect((await plans('/cf-eu10')).get('sap-converged-cloud')).toBeDefined();
    expect(regionEnum((await plans('/cf-eu10')).get('sap-converged-cloud'))).toEqual(['eu-de-2']);
    expect(regionEnum((await plans('/cf-eu01')).get('sap-converged-cloud'))).toEqual(['eu-de-2']);
    for (const prefix of ['/cf-eu11', '/cf-ch20', '/cf-sa30']) {
      const offered = await plans(prefix);
      expect({ prefix, scc: offered.has('sap-converged-cloud') }).toEqual({ prefix, scc: false });
      expect(offered.has('aws')).toBe(true);
    }
    // …and refuses to provision them there, as brokerapi does for a plan not in the catalog.
    const { res } = await provision('/cf-eu11', 'sap-converged-cloud', { name: 'scc', region: 'eu-de-2' });
    expect(res.status).toBe(400);
    expect(res.body.description).toBe(
      `plan_id ${PLAN_IDS['sap-converged-cloud']} is not in the catalog for platform region cf-eu11`,
    );
  });

  it('refuses a cluster region outside the list with 400 naming the allowed value(s)', async () => {
    const one = await provision('/cf-eu11', 'aws', { name: 'eu-bad', region: 'us-east-1' });
    expect(one.res.status).toBe(400);
    expect(one.res.body.description).toBe(
      "while validating input parameters: at '/region': value must be 'eu-central-1'",
    );
    const azure = await provision('/cf-ch20', 'azure', { name: 'ch-bad', region: 'westeurope' });
    expect(azure.res.status).toBe(400);
    expect(azure.res.body.description).toBe(
      "while validating input parameters: at '/region': value must be 'switzerlandnorth'",
    );
    const several = await provision('/cf-eu10', 'aws', { name: 'eu10-bad', region: 'mars-north-1' });
    expect(several.res.status).toBe(400);
    expect(several.res.body.description).toBe(
      `while validating input parameters: at '/region': value must be one of ${AWS_DEFAULT.map((r) => `'${r}'`).join(', ')}`,
    );
    // Nothing was stored for the refused requests.
    for (const { id } of [one, azure, several]) {
      const res = await osb.request('GET', `/info/runtimes?instance_id=${id}&state=all`);
      expect(res.body.count).toBe(0);
    }
  });

  it('provisions in the allowed region and stores platform region and euAccess (202, then succeeded)', async () => {
    const { id, res } = await provision('/cf-eu11', 'aws', { name: 'eu-ok', region: 'eu-central-1' });
    expect(res.status).toBe(202);
    expect((await osb.waitForOperation(id, '/cf-eu11')).body.state).toBe('succeeded');
    const rt = await runtime(id);
    expect(rt).toMatchObject({ region: 'eu-central-1', subAccountRegion: 'cf-eu11', euAccess: true, provider: 'AWS' });
  });

  it('takes the first allowed region when none is given (cf-ch20 → switzerlandnorth) and the shoot runs there', async () => {
    const { id, res } = await provision('/cf-ch20', 'azure', { name: 'ch-default' });
    expect(res.status).toBe(202);
    expect((await osb.waitForOperation(id, '/cf-ch20')).body.state).toBe('succeeded');
    const rt = await runtime(id);
    expect(rt).toMatchObject({ region: 'switzerlandnorth', subAccountRegion: 'cf-ch20', euAccess: true });
    expect(rt.parameters.region).toBe('switzerlandnorth');
    const instance = await osb.request('GET', `/oauth/cf-ch20/v2/service_instances/${id}`);
    expect(instance.status).toBe(200);
    expect(instance.body.parameters.region).toBe('switzerlandnorth');

    // What Gardener got (kubectl against the landscape, with the broker's own Gardener kubeconfig).
    const gardener = readFileSync(broker.config.gardener.kubeconfigPath!, 'utf8');
    const shoot = await kubectl(gardener, ['get', 'shoots', '-A', '-o', 'json']);
    expect(shoot.code).toBe(0);
    const item = (
      JSON.parse(shoot.stdout) as {
        items: Array<{ metadata: { name: string; annotations: Record<string, string> }; spec: { region: string } }>;
      }
    ).items.find((s) => s.metadata.name === rt.shootName);
    expect(item?.spec.region).toBe('switzerlandnorth');
    expect(item?.metadata.annotations).toMatchObject({
      'kyma-project.io/platform-region': 'cf-ch20',
      'kyma-project.io/eu-access': 'true',
    });

    // Outside EU Access the default is the first entry of the default list.
    const plain = await provision('/cf-eu10', 'aws', { name: 'eu10-default' });
    expect(plain.res.status).toBe(202);
    expect((await osb.waitForOperation(plain.id, '/cf-eu10')).body.state).toBe('succeeded');
    expect(await runtime(plain.id)).toMatchObject({
      region: 'eu-central-1',
      subAccountRegion: 'cf-eu10',
      euAccess: false,
    });
  });

  it('filters /info/runtimes by platform region', async () => {
    const a = await provision('/cf-eu11', 'aws', { name: 'filter-a' });
    const b = await provision('/cf-us10', 'aws', { name: 'filter-b', region: 'us-east-1' });
    expect([a.res.status, b.res.status]).toEqual([202, 202]);
    expect((await osb.waitForOperation(a.id, '/cf-eu11')).body.state).toBe('succeeded');
    expect((await osb.waitForOperation(b.id, '/cf-us10')).body.state).toBe('succeeded');

    // Other suites share the database (with rows of their own in these regions): look at this test's two.
    const mine = `instance_id=${a.id}&instance_id=${b.id}`;
    const eu11 = await osb.request('GET', `/info/runtimes?platform_region=cf-eu11&${mine}`);
    expect(eu11.status).toBe(200);
    expect(eu11.body.data).toEqual([
      expect.objectContaining({ instanceID: a.id, subAccountRegion: 'cf-eu11', euAccess: true }),
    ]);
    const both = await osb.request('GET', `/info/runtimes?platform_region=cf-eu11&platform_region=cf-us10&${mine}`);
    const bothIds = (both.body.data as Array<{ instanceID: string }>).map((r) => r.instanceID);
    expect(bothIds.sort()).toEqual([a.id, b.id].sort());
    const us10 = await osb.request('GET', `/info/runtimes?platform_region=cf-us10&instance_id=${b.id}`);
    expect(us10.body.data).toEqual([
      expect.objectContaining({ instanceID: b.id, euAccess: false, region: 'us-east-1' }),
    ]);
    const none = await osb.request('GET', '/info/runtimes?platform_region=cf-zz99');
    expect(none.body).toMatchObject({ data: [], count: 0, totalCount: 0 });
    const nul = await osb.request('GET', '/info/runtimes?platform_region=cf-eu%0011');
    expect(nul.status).toBe(400);
    expect(nul.body.description).toBe(
      'while getting query parameters: platform_region must not contain NUL characters',
    );
  });
});
