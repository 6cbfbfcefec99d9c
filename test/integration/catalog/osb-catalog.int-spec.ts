import type { RunningBroker } from '../../../src/bootstrap';
import { startTestBroker } from '../../support/broker';
import { AWS_PLAN_ID, KYMA_SERVICE_ID, OsbClient, osbClientFor, uniqueId } from '../../support/osb-client';

const AZURE_PLAN_ID = '4deee563-e5ec-4731-b9b1-53b42d855f0c';

/** The catalog module inside the real broker: region prefixes, EU Access enums and KEB's 400 descriptions. */
describe('OSB catalog and EU Access through the broker', () => {
  let broker: RunningBroker;
  let osb: OsbClient;

  beforeAll(async () => {
    broker = await startTestBroker({ backend: 'postgres' });
    osb = await osbClientFor(broker);
  });

  afterAll(async () => {
    await broker.close();
  });

  const regionEnum = async (platformRegion: string, planId: string): Promise<unknown> => {
    const res = await osb.request('GET', `/oauth/${platformRegion}/v2/catalog`);
    expect(res.status).toBe(200);
    const plan = res.body.services[0].plans.find((p: { id: string }) => p.id === planId);
    return plan.schemas.service_instance.create.parameters.properties.region.enum;
  };

  it('restricts the aws regions on cf-eu11 only', async () => {
    await expect(regionEnum('cf-eu11', AWS_PLAN_ID)).resolves.toEqual(['eu-central-1']);
    expect(((await regionEnum('cf-eu10', AWS_PLAN_ID)) as string[]).length).toBeGreaterThan(1);
    await expect(regionEnum('cf-ch20', AZURE_PLAN_ID)).resolves.toEqual(['switzerlandnorth']);
  });

  it.each([
    ['cf-eu11', AWS_PLAN_ID, 'us-west-2', 'eu-central-1'],
    ['cf-ch20', AZURE_PLAN_ID, 'japaneast', 'switzerlandnorth'],
  ])('refuses provisioning in %s outside the EU region with 400', async (platformRegion, planId, region, allowed) => {
    const res = await osb.request(
      'PUT',
      `/oauth/${platformRegion}/v2/service_instances/${uniqueId('eu-access')}?accepts_incomplete=true`,
      { service_id: KYMA_SERVICE_ID, plan_id: planId, parameters: { name: 'testing-cluster', region } },
    );
    expect(res.status).toBe(400);
    expect(res.body.description).toBe(`while validating input parameters: at '/region': value must be '${allowed}'`);
  });
});
