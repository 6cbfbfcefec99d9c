import { apiVersionOf, ResourceType, SubresourceType } from './resources';

/**
 * Legacy (unaggregated) discovery documents. kubectl first asks for aggregated discovery; a plain
 * `application/json` answer makes client-go fall back to these, which is all `get`, `auth can-i` and
 * `cluster-info` need.
 */

export interface VersionInfo {
  major: string;
  minor: string;
  gitVersion: string;
  gitCommit: string;
  gitTreeState: string;
  buildDate: string;
  goVersion: string;
  compiler: string;
  platform: string;
}

export function versionInfo(gitVersion: string): VersionInfo {
  const [major, minor] = gitVersion.replace(/^v/, '').split('.');
  return {
    major,
    minor,
    gitVersion,
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '2025-01-01T00:00:00Z',
    goVersion: 'go1.23.4',
    compiler: 'gc',
    platform: 'linux/amd64',
  };
}

/** `/api`: the core group's versions and the address clients should use. */
export function apiVersions(serverAddress: string): Record<string, unknown> {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

function groupVersions(resources: ResourceType[]): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const r of resources) {
    if (!r.group) {
      continue;
    }
    const versions = groups.get(r.group) ?? [];
    if (!versions.includes(r.version)) {
      versions.push(r.version);
    }
    groups.set(r.group, versions);
  }
  return groups;
}

function apiGroup(name: string, versions: string[]): Record<string, unknown> {
  const list = versions.map((version) => ({ groupVersion: `${name}/${version}`, version }));
  return { name, versions: list, preferredVersion: list[0] };
}

/** `/apis`: every non-core group. */
export function apiGroupList(resources: ResourceType[]): Record<string, unknown> {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: [...groupVersions(resources)].map(([name, versions]) => apiGroup(name, versions)),
  };
}

/** `/apis/<group>`, or undefined when the group is not served. */
export function apiGroupDocument(resources: ResourceType[], group: string): Record<string, unknown> | undefined {
  const versions = groupVersions(resources).get(group);
  return versions ? { kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(group, versions) } : undefined;
}

/** `/api/v1` or `/apis/<group>/<version>`: the resources (and subresources) of one group version. */
export function apiResourceList(
  resources: ResourceType[],
  subresources: SubresourceType[],
  group: string,
  version: string,
): Record<string, unknown> | undefined {
  const here = resources.filter((r) => r.group === group && r.version === version);
  if (here.length === 0) {
    return undefined;
  }
  const list: Array<Record<string, unknown>> = [];
  for (const r of here) {
    list.push({
      name: r.resource,
      singularName: r.singular,
      namespaced: r.namespaced,
      kind: r.kind,
      verbs: r.verbs,
      ...(r.shortNames ? { shortNames: r.shortNames } : {}),
      ...(r.categories ? { categories: r.categories } : {}),
    });
    for (const s of subresources.filter((sub) => sub.parent === r)) {
      list.push({
        name: `${r.resource}/${s.name}`,
        singularName: '',
        namespaced: r.namespaced,
        ...(s.group !== undefined ? { group: s.group } : {}),
        ...(s.version !== undefined ? { version: s.version } : {}),
        kind: s.kind,
        verbs: s.verbs,
      });
    }
  }
  return {
    kind: 'APIResourceList',
    ...(group ? { apiVersion: 'v1' } : {}),
    groupVersion: apiVersionOf({ group, version }),
    resources: list,
  };
}

function groupVersionPath(group: string, version: string): string {
  return group ? `apis/${group}/${version}` : `api/${version}`;
}

/**
 * `/openapi/v3`: the index of per-group-version documents. kubectl reads it before `apply` and
 * `create -f` to learn whether the server validates fields itself (`fieldValidation`).
 */
export function openApiV3Root(resources: ResourceType[]): Record<string, unknown> {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const r of resources) {
    const gv = groupVersionPath(r.group, r.version);
    paths[gv] = { serverRelativeURL: `/openapi/v3/${gv}?hash=simulator` };
  }
  return { paths };
}

/**
 * `/openapi/v3/<group version>`: a deliberately small document. Each kind gets a PATCH operation that
 * names its group-version-kind and the `fieldValidation` parameter (so kubectl leaves validation to
 * the server instead of downloading full schemas) and an open object schema.
 */
export function openApiV3GroupVersion(
  resources: ResourceType[],
  gvPath: string,
  serverVersion: string,
): Record<string, unknown> | undefined {
  const here = resources.filter((r) => groupVersionPath(r.group, r.version) === gvPath);
  if (here.length === 0) {
    return undefined;
  }
  const paths: Record<string, unknown> = {};
  const schemas: Record<string, unknown> = {};
  for (const r of here) {
    const gvk = { group: r.group, version: r.version, kind: r.kind };
    const scope = r.namespaced ? '/namespaces/{namespace}' : '';
    paths[`/${gvPath}${scope}/${r.resource}/{name}`] = {
      patch: {
        operationId: `patch${r.kind}`,
        'x-kubernetes-action': 'patch',
        'x-kubernetes-group-version-kind': gvk,
        parameters: ['dryRun', 'fieldManager', 'fieldValidation', 'force'].map((name) => ({
          name,
          in: 'query',
          schema: { type: name === 'force' ? 'boolean' : 'string' },
        })),
        responses: { '200': { description: 'OK' } },
      },
    };
    schemas[`${r.group || 'core'}.${r.version}.${r.kind}`] = {
      type: 'object',
      'x-kubernetes-group-version-kind': [gvk],
      'x-kubernetes-preserve-unknown-fields': true,
    };
  }
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: serverVersion },
    paths,
    components: { schemas },
  };
}
