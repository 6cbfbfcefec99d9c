import { Faults } from './faults';
import { jsonPatch, mergePatch } from './patch';
import { parseRequestInfo } from './request-info';
import { matchesSelectors, parseLabelSelector } from './selectors';
import { StatusError } from './status';
import { humanDuration } from './tables';

describe('request attributes', () => {
  const q = new URLSearchParams();
  it('derives verb, namespace, resource, name and subresource like kube-apiserver', () => {
    expect(parseRequestInfo('POST', '/api/v1/namespaces/kyma-system/serviceaccounts/sa1/token', q)).toMatchObject({
      isResourceRequest: true,
      verb: 'create',
      apiGroup: '',
      apiVersion: 'v1',
      namespace: 'kyma-system',
      resource: 'serviceaccounts',
      name: 'sa1',
      subresource: 'token',
    });
    expect(parseRequestInfo('GET', '/apis/rbac.authorization.k8s.io/v1/clusterroles', q)).toMatchObject({
      verb: 'list',
      apiGroup: 'rbac.authorization.k8s.io',
      resource: 'clusterroles',
      namespace: '',
    });
    expect(parseRequestInfo('GET', '/api/v1/namespaces/foo', q)).toMatchObject({
      resource: 'namespaces',
      name: 'foo',
      namespace: 'foo',
    });
    expect(parseRequestInfo('DELETE', '/api/v1/namespaces/a/pods', q).verb).toBe('deletecollection');
    expect(parseRequestInfo('GET', '/api/v1/pods', new URLSearchParams('watch=true')).verb).toBe('watch');
    for (const path of [
      '/api',
      '/api/v1',
      '/apis/rbac.authorization.k8s.io',
      '/apis/rbac.authorization.k8s.io/v1',
      '/version',
    ]) {
      expect(parseRequestInfo('GET', path, q)).toMatchObject({ isResourceRequest: false, verb: 'get', path });
    }
  });
});

describe('patches', () => {
  const shoot = { metadata: { name: 's', annotations: { a: '1' }, labels: { x: 'y' } }, spec: { list: [1, 2] } };
  it('applies merge patches (null deletes, lists replace)', () => {
    expect(mergePatch(shoot, { metadata: { annotations: { a: null, b: '2' } }, spec: { list: [3] } })).toEqual({
      metadata: { name: 's', annotations: { b: '2' }, labels: { x: 'y' } },
      spec: { list: [3] },
    });
  });
  it('applies JSON patches, escaping / in keys, and fails a failed test with 422', () => {
    const patched = jsonPatch(shoot, [
      { op: 'add', path: '/metadata/annotations/confirmation.gardener.cloud~1deletion', value: 'true' },
      { op: 'remove', path: '/metadata/labels/x' },
      { op: 'add', path: '/spec/list/-', value: 3 },
      { op: 'replace', path: '/spec/list/0', value: 0 },
    ]);
    expect(patched).toEqual({
      metadata: { name: 's', annotations: { a: '1', 'confirmation.gardener.cloud/deletion': 'true' }, labels: {} },
      spec: { list: [0, 2, 3] },
    });
    expect(shoot.metadata.annotations).toEqual({ a: '1' });
    expect(() => jsonPatch(shoot, [{ op: 'test', path: '/metadata/name', value: 'other' }])).toThrow(StatusError);
    expect(() => jsonPatch(shoot, [{ op: 'remove', path: '/metadata/nothing/here' }])).toThrow(StatusError);
  });
});

describe('label selectors', () => {
  const obj = (labels: Record<string, string>) => ({ metadata: { name: 'o', labels } });
  it('supports equality, inequality, existence and set expressions', () => {
    const sel = parseLabelSelector('app=web,tier!=db,env in (prod, staging),!legacy');
    expect(matchesSelectors(obj({ app: 'web', env: 'prod' }), sel, [])).toBe(true);
    expect(matchesSelectors(obj({ app: 'web', env: 'dev' }), sel, [])).toBe(false);
    expect(matchesSelectors(obj({ app: 'web', env: 'prod', legacy: '1' }), sel, [])).toBe(false);
    expect(matchesSelectors(obj({ app: 'web', env: 'prod', tier: 'db' }), sel, [])).toBe(false);
  });
});

describe('ages', () => {
  it('prints durations as kubectl does', () => {
    expect(humanDuration(5_000)).toBe('5s');
    expect(humanDuration(150_000)).toBe('2m30s');
    expect(humanDuration(3 * 3600_000 + 5 * 60_000)).toBe('3h5m');
    expect(humanDuration(50 * 3600_000)).toBe('2d2h');
    expect(humanDuration(-5_000)).toBe('<invalid>');
  });
});

describe('fault decisions', () => {
  it('adds latencies, filters by target and path, and is reproducible with a seed', () => {
    const faults = new Faults([
      { target: 'runtime', latencyMs: 20 },
      { target: 'all', pathPrefix: '/apis', latencyMs: 5, errorRate: 1, errorStatus: 503 },
    ]);
    expect(faults.decide('runtime', '/api/v1/pods')).toEqual({ kind: 'none', delayMs: 20 });
    expect(faults.decide('runtime', '/apis/x')).toEqual({ kind: 'error', delayMs: 25, status: 503 });
    expect(faults.decide('gardener', '/api/v1')).toEqual({ kind: 'none', delayMs: 0 });
    const draws = (seed: number) => {
      const f = new Faults({ resetRate: 0.5, seed });
      return Array.from({ length: 20 }, () => f.decide('runtime', '/').kind).join(',');
    };
    expect(draws(7)).toBe(draws(7));
    expect(draws(7)).toMatch(/reset/);
    expect(draws(7)).toMatch(/none/);
  });
  it('rejects invalid rules with a 400 Status', () => {
    expect(() => new Faults({ errorRate: 2 })).toThrow(StatusError);
    expect(() => new Faults({ target: 'nowhere' as 'all' })).toThrow(StatusError);
    expect(() => new Faults({ latencyMs: 1, typo: true } as never)).toThrow(/unknown fault field "typo"/);
  });
});
