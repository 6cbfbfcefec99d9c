import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { RunningBroker } from '../../src/bootstrap';
import { startTestBroker } from '../support/broker';
import { BACKENDS } from '../support/databases';
import { OsbConformanceWalker } from '../support/osb-conformance';
import { OsbClient, osbClientFor, uniqueId } from '../support/osb-client';

/**
 * The broker walked through OSB v2.17's flows by a platform-like walker that checks every status code,
 * header and body field the spec requires for them (test/support/osb-conformance.ts), on both OSB
 * prefixes and both storage backends.
 */
describe.each(BACKENDS)('OSB 2.17 conformance (%s)', (backend) => {
  let broker: RunningBroker;
  let osb: OsbClient;

  beforeAll(async () => {
    broker = await startTestBroker({ backend });
    osb = await osbClientFor(broker);
  });
  afterAll(async () => {
    await broker?.close();
  });

  it.each([
    ['/oauth/v2', '/oauth'],
    ['/oauth/cf-eu10/v2', '/oauth/cf-eu10'],
  ])(
    'walks provision, poll, bind, fetch, unbind and deprovision under %s with no violation',
    async (_label, prefix) => {
      const name = uniqueId('conf').slice(0, 30);
      const report = await new OsbConformanceWalker(osb, {
        prefix,
        context: {
          platform: 'cloudfoundry',
          globalaccount_id: 'ga-conf',
          subaccount_id: 'sa-conf',
          user_id: 'conf@example.com',
        },
        parameters: { name, region: 'eu-central-1' },
        conflictingParameters: { name: `${name}-x`, region: 'eu-central-1' },
        bindParameters: { expiration_seconds: 900 },
        conflictingBindParameters: { expiration_seconds: 1200 },
      }).run();
      expect(report.violations).toEqual([]);
      // The walk really covered the flows (a walker that checked nothing would pass too).
      const flows = new Set(report.checks.map((c) => c.flow));
      expect([...flows].sort()).toEqual(
        ['binding', 'catalog', 'deprovisioning', 'fetch instance', 'headers', 'provisioning', 'unbinding'].sort(),
      );
      expect(report.checks.length).toBeGreaterThan(100);
    },
  );
});

/**
 * The walker itself must be able to fail: against a sloppy broker (catalog without descriptions, sync
 * answers to async requests, 500s, text error bodies, no 410s) it reports exactly those rules.
 */
describe('the OSB conformance walker', () => {
  let server: Server;
  let url: string;

  beforeAll(async () => {
    const instances = new Set<string>();
    server = createServer((req, res) => {
      const path = (req.url ?? '').split('?')[0];
      const send = (status: number, body: unknown, type = 'application/json') => {
        res.writeHead(status, { 'content-type': type });
        res.end(typeof body === 'string' ? body : JSON.stringify(body));
      };
      req.resume();
      req.on('end', () => {
        if (path === '/v2/catalog') {
          // Always 200, whatever the version header says; plan without description.
          return send(200, {
            services: [{ id: 's1', name: 'svc', description: 'd', bindable: true, plans: [{ id: 'p1', name: 'p' }] }],
          });
        }
        const m = /^\/v2\/service_instances\/([^/]+)(\/last_operation|\/service_bindings\/[^/]+)?/.exec(path);
        if (!m) {
          return send(404, 'not found', 'text/plain');
        }
        if (m[2] === '/last_operation') {
          return send(200, { state: 'done' });
        }
        if (m[2]) {
          return req.method === 'DELETE' ? send(200, {}) : send(500, 'boom', 'text/plain');
        }
        if (req.method === 'PUT') {
          instances.add(m[1]);
          return send(202, { operation: 'op' });
        }
        if (req.method === 'DELETE') {
          return send(200, {});
        }
        return send(200, {});
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
  });

  it('reports the rules a non-conformant broker breaks', async () => {
    const report = await new OsbConformanceWalker(new OsbClient(url, 'token'), {
      prefix: '',
      context: {},
      parameters: { name: 'x' },
      conflictingParameters: { name: 'y' },
      operationTimeoutMs: 2000,
    }).run();
    const broken = report.violations.map((v) => `${v.flow}: ${v.rule}`);
    expect(broken).toEqual(
      expect.arrayContaining([
        'catalog: plan svc/p: "description" non-empty',
        'headers: no X-Broker-API-Version: 400 or 412',
        'headers: unsupported X-Broker-API-Version 1.13: 412',
        'headers: no credentials: 401',
        'headers: X-Broker-API-Request-Identity echoed (SHOULD)',
        'provisioning: provision without accepts_incomplete (sync success or AsyncRequired): 201 or 422',
        'provisioning: provision without service_id (malformed): 400',
        'provisioning: provision with a body that is not JSON: 400',
        'provisioning: PUT of an instance being provisioned with different attributes: 409',
        'provisioning: last_operation "state" is one of the three states',
        'provisioning: provisioning succeeded',
        'deprovisioning: deprovision without plan_id: 400',
        'deprovisioning: DELETE of an instance that does not exist: 410',
      ]),
    );
  });
});
