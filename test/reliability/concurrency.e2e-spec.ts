import fc from 'fast-check';
import { RunningBroker } from '../../src/bootstrap';
import type { Landscape } from '../../src/simulator';

import { BACKENDS } from '../support/databases';
import { kubectl } from '../support/kubectl';
import {
  bindingRows,
  eventually,
  RuntimeInspector,
  shootNameOf,
  sql,
  startBrokerOn,
  startTestLandscape,
} from '../support/landscape';
import { expectOsbError } from '../support/osb-conformance';
import { HttpAnswer, OsbClient, osbClientFor, uniqueId } from '../support/osb-client';

const MAX_BINDINGS = 10;

/**
 * Many requests on one instance at once, as a platform with several workers (or a retrying one) sends
 * them: the answers agree with each other, the limit holds at every moment, and what the database
 * says exists is exactly what exists on the runtime.
 */
describe.each(BACKENDS)('concurrent requests on one instance (%s)', (backend) => {
  let landscape: Landscape;
  let broker: RunningBroker;
  let osb: OsbClient;
  let runtime: RuntimeInspector;

  beforeAll(async () => {
    landscape = await startTestLandscape();
    broker = await startBrokerOn(landscape, { backend });
    osb = await osbClientFor(broker);
    runtime = new RuntimeInspector(landscape);
  });
  afterAll(async () => {
    await broker?.close();
    await landscape?.stop();
  });

  async function readyInstance(): Promise<{ instanceId: string; shoot: string }> {
    const instanceId = uniqueId('rel-conc');
    await osb.provisionReady(instanceId);
    return { instanceId, shoot: await shootNameOf(backend, instanceId) };
  }

  /** Samples the non-expired row count while `work` runs; returns the work's result and the highest count. */
  async function sampling<T>(instanceId: string, work: Promise<T>): Promise<{ result: T; maxRows: number }> {
    let done = false;
    let maxRows = 0;
    const sampler = (async () => {
      while (!done) {
        const [{ n }] = await sql<{ n: number }>(
          backend,
          'SELECT count(*)::int AS n FROM bindings WHERE instance_id = $1 AND expires_at > now()',
          [instanceId],
        );
        maxRows = Math.max(maxRows, n);
      }
    })();
    try {
      return { result: await work, maxRows };
    } finally {
      done = true;
      await sampler;
    }
  }

  /** The rows, the runtime's objects and GET agree: every binding is either complete or absent. */
  async function expectConsistent(instanceId: string, shoot: string, ids: string[]): Promise<Set<string>> {
    const rows = await bindingRows(backend, instanceId);
    expect(rows.filter((r) => r.state !== 'ready')).toEqual([]);
    const stored = new Set(rows.map((r) => r.binding_id));
    const objects = await runtime.bindingObjects(shoot);
    for (const id of ids) {
      const onRuntime = (objects.get(id) ?? []).sort();
      const fetched = await osb.getBinding(instanceId, id);
      expect({ id, stored: stored.has(id), onRuntime, get: fetched.status }).toEqual(
        stored.has(id)
          ? { id, stored: true, onRuntime: ['clusterrole', 'clusterrolebinding', 'serviceaccount'], get: 200 }
          : { id, stored: false, onRuntime: [], get: 404 },
      );
    }
    return stored;
  }

  it('50 concurrent identical PUTs of one binding: one 201, 49 × 200, the same credentials', async () => {
    const { instanceId, shoot } = await readyInstance();
    const bid = 'same-binding';
    const answers = await Promise.all(
      Array.from({ length: 50 }, () => osb.bind(instanceId, bid, { expiration_seconds: 900 })),
    );
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 200)).toHaveLength(49);
    // Identical bodies: the same kubeconfig and the same expiry for everyone.
    expect(new Set(answers.map((a) => JSON.stringify(a.body))).size).toBe(1);
    expect(await bindingRows(backend, instanceId)).toEqual([
      { binding_id: bid, state: 'ready', expires_at: expect.any(Date) },
    ]);
    expect((await runtime.bindingObjects(shoot)).get(bid)?.sort()).toEqual([
      'clusterrole',
      'clusterrolebinding',
      'serviceaccount',
    ]);
    expect((await kubectl(answers[0].body.credentials.kubeconfig, ['get', 'pods'])).code).toBe(0);
  });

  it('30 concurrent binds of different ids: exactly 10 succeed, the limit holds at every moment', async () => {
    const { instanceId, shoot } = await readyInstance();
    const ids = Array.from({ length: 30 }, (_, i) => `lim-${i}`);
    const { result, maxRows } = await sampling(instanceId, Promise.all(ids.map((id) => osb.bind(instanceId, id))));
    expect(result.filter((r) => r.status === 201)).toHaveLength(MAX_BINDINGS);
    expect(result.filter((r) => r.status === 400)).toHaveLength(30 - MAX_BINDINGS);
    expect(maxRows).toBeLessThanOrEqual(MAX_BINDINGS);
    const stored = await expectConsistent(instanceId, shoot, ids);
    expect(stored.size).toBe(MAX_BINDINGS);
  });

  it('binds and unbinds of the same ids interleaved at random: complete-or-absent, limit never exceeded', async () => {
    const { instanceId, shoot } = await readyInstance();
    const ids = Array.from({ length: 16 }, (_, i) => `mix-${i}`);
    // A reproducible random order of 16 binds and 16 unbinds, all in flight together.
    const order = fc.sample(
      fc.shuffledSubarray([...ids.map((id) => ['bind', id]), ...ids.map((id) => ['unbind', id])], {
        minLength: 32,
        maxLength: 32,
      }),
      { numRuns: 1, seed: 20251201 },
    )[0] as Array<[string, string]>;
    const { result, maxRows } = await sampling(
      instanceId,
      Promise.all(
        order.map(async ([op, id], i): Promise<[string, string, HttpAnswer]> => {
          await new Promise((r) => setTimeout(r, i % 4));
          return [op, id, op === 'bind' ? await osb.bind(instanceId, id) : await osb.unbind(instanceId, id)];
        }),
      ),
    );
    expect(maxRows).toBeLessThanOrEqual(MAX_BINDINGS);
    for (const [op, id, answer] of result) {
      // Never a server error; binds 201 or 400 (limit), unbinds 200 or 410.
      const allowed = op === 'bind' ? [201, 400] : [200, 410];
      expect({ op, id, status: answer.status, allowed: allowed.includes(answer.status) }).toEqual({
        op,
        id,
        status: answer.status,
        allowed: true,
      });
    }
    const created = result.filter(([op, , a]) => op === 'bind' && a.status === 201).length;
    const removed = result.filter(([op, , a]) => op === 'unbind' && a.status === 200).length;
    expect(created).toBeLessThanOrEqual(MAX_BINDINGS + removed);
    await expectConsistent(instanceId, shoot, ids);
    // A bind answered 201 whose unbind answered 410 (it came first) must still be there, with its credentials.
    for (const id of ids) {
      const bound = result.find(([op, i]) => op === 'bind' && i === id)![2];
      const unbound = result.find(([op, i]) => op === 'unbind' && i === id)![2];
      if (bound.status === 201 && unbound.status === 410) {
        expect((await osb.getBinding(instanceId, id)).body).toEqual(bound.body);
      }
    }
  });

  it('binds racing a deprovision: no binding outlives the instance, no server errors', async () => {
    const { instanceId } = await readyInstance();
    const ids = Array.from({ length: 14 }, (_, i) => `dep-${i}`);
    const binds = ids.map((id, i) => new Promise((r) => setTimeout(r, i)).then(() => osb.bind(instanceId, id)));
    const deprovision = new Promise((r) => setTimeout(r, 3)).then(() => osb.deprovision(instanceId));
    const { result, maxRows } = await sampling(instanceId, Promise.all([...binds, deprovision]));
    expect(maxRows).toBeLessThanOrEqual(MAX_BINDINGS);
    const deprovisioned = result[result.length - 1];
    expect(deprovisioned.status).toBe(202);
    for (const answer of result.slice(0, -1)) {
      // 201 before the deprovision, 400 over the limit, 422 while deprovisioning, 404 once gone; a bind
      // whose runtime vanished under it answers a clean 502 (the platform then orphan-mitigates: 410 below).
      if (answer.status !== 201) {
        expectOsbError(answer, [400, 404, 422, 502]);
      }
    }
    expect(result.slice(0, -1).filter((r) => r.status === 201).length).toBeLessThanOrEqual(MAX_BINDINGS);
    expect((await osb.waitForOperation(instanceId)).status).toBe(410);
    await eventually(async () => {
      expect(await bindingRows(backend, instanceId)).toEqual([]);
      return true;
    }, 'bindings of the deprovisioned instance removed');
    for (const id of ids) {
      expect((await osb.getBinding(instanceId, id)).status).toBe(404);
      expect((await osb.unbind(instanceId, id)).status).toBe(410);
    }
  });
});
