import type { ResourceType } from './resources';
import { asRecords, asString, dig } from './json';
import type { KubeObject } from './store';

/**
 * Server-side printing (meta.k8s.io/v1 Table), so `kubectl get` shows the same columns as against a
 * real cluster. Ages are computed against the injectable clock, as the real server uses its own time.
 */

interface Column {
  name: string;
  type: 'string' | 'integer' | 'date';
  format?: string;
  priority?: number;
  description: string;
  cell: (obj: KubeObject, now: Date) => unknown;
}

/** k8s.io/apimachinery's duration.HumanDuration: the compact age format kubectl users know. */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < -1) {
    return '<invalid>';
  }
  if (seconds < 0) {
    return '0s';
  }
  if (seconds < 120) {
    return `${seconds}s`;
  }
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 180) {
    return `${minutes}m`;
  }
  const hours = Math.floor(minutes / 60);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) {
    return `${hours}h`;
  }
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${Math.floor(hours / 24)}d` : `${Math.floor(hours / 24)}d${h}h`;
  }
  if (hours < 24 * 365 * 2) {
    return `${Math.floor(hours / 24)}d`;
  }
  if (hours < 24 * 365 * 8) {
    const days = Math.floor(hours / 24) % 365;
    const years = Math.floor(hours / 24 / 365);
    return days === 0 ? `${years}y` : `${years}y${days}d`;
  }
  return `${Math.floor(hours / 24 / 365)}y`;
}

function age(obj: KubeObject, now: Date): string {
  const created = obj.metadata.creationTimestamp;
  return created ? humanDuration(now.getTime() - Date.parse(created)) : '<unknown>';
}

const NAME: Column = {
  name: 'Name',
  type: 'string',
  format: 'name',
  description: 'Name must be unique within a namespace.',
  cell: (o) => o.metadata.name,
};
const AGE: Column = {
  name: 'Age',
  type: 'string',
  description: 'CreationTimestamp is a timestamp representing the server time when this object was created.',
  cell: age,
};
const CREATED_AT: Column = {
  name: 'Created At',
  type: 'date',
  description: 'CreationTimestamp is a timestamp representing the server time when this object was created.',
  cell: (o) => o.metadata.creationTimestamp,
};

function subjectsOf(kind: string) {
  return (o: KubeObject) =>
    asRecords(o.subjects)
      .filter((s) => s.kind === kind)
      .map((s) => (kind === 'ServiceAccount' ? `${asString(s.namespace)}/${asString(s.name)}` : asString(s.name)))
      .join(', ');
}

const BINDING_COLUMNS: Column[] = [
  NAME,
  {
    name: 'Role',
    type: 'string',
    description: 'RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace.',
    cell: (o) => `${asString(dig(o, 'roleRef', 'kind'))}/${asString(dig(o, 'roleRef', 'name'))}`,
  },
  AGE,
  { name: 'Users', type: 'string', priority: 1, description: 'Users in the binding', cell: subjectsOf('User') },
  { name: 'Groups', type: 'string', priority: 1, description: 'Groups in the binding', cell: subjectsOf('Group') },
  {
    name: 'ServiceAccounts',
    type: 'string',
    priority: 1,
    description: 'ServiceAccounts in the binding',
    cell: subjectsOf('ServiceAccount'),
  },
];

function condition(type: string) {
  return (o: KubeObject) =>
    asString(asRecords(dig(o, 'status', 'conditions')).find((c) => c.type === type)?.status) ?? '<unknown>';
}

const COLUMNS: Record<string, Column[]> = {
  '/pods': [
    NAME,
    {
      name: 'Ready',
      type: 'string',
      description: 'The aggregate readiness state of this pod for accepting traffic.',
      cell: (o) => {
        const statuses = asRecords(dig(o, 'status', 'containerStatuses'));
        return `${statuses.filter((s) => s.ready === true).length}/${asRecords(dig(o, 'spec', 'containers')).length}`;
      },
    },
    {
      name: 'Status',
      type: 'string',
      description: 'The aggregate status of the containers in this pod.',
      cell: (o) => asString(dig(o, 'status', 'phase')) ?? 'Unknown',
    },
    {
      name: 'Restarts',
      type: 'string',
      description: 'The number of times the containers in this pod have been restarted.',
      cell: (o) =>
        String(
          asRecords(dig(o, 'status', 'containerStatuses')).reduce(
            (n, s) => n + (typeof s.restartCount === 'number' ? s.restartCount : 0),
            0,
          ),
        ),
    },
    AGE,
    {
      name: 'IP',
      type: 'string',
      priority: 1,
      description: 'IP address allocated to the pod.',
      cell: (o) => asString(dig(o, 'status', 'podIP')) ?? '<none>',
    },
    {
      name: 'Node',
      type: 'string',
      priority: 1,
      description: 'Name of the Node this pod runs on.',
      cell: (o) => asString(dig(o, 'spec', 'nodeName')) ?? '<none>',
    },
  ],
  '/namespaces': [
    NAME,
    {
      name: 'Status',
      type: 'string',
      description: 'The status of the namespace',
      cell: (o) => asString(dig(o, 'status', 'phase')) ?? 'Active',
    },
    AGE,
  ],
  '/serviceaccounts': [
    NAME,
    {
      name: 'Secrets',
      type: 'integer',
      description:
        'Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use.',
      cell: (o) => asRecords(o.secrets).length,
    },
    AGE,
  ],
  '/services': [
    NAME,
    { name: 'Type', type: 'string', description: 'The type of the service.', cell: (o) => dig(o, 'spec', 'type') },
    {
      name: 'Cluster-IP',
      type: 'string',
      description: 'The IP address of the service.',
      cell: (o) => asString(dig(o, 'spec', 'clusterIP')) ?? '<none>',
    },
    { name: 'External-IP', type: 'string', description: 'The external IP of the service.', cell: () => '<none>' },
    {
      name: 'Port(s)',
      type: 'string',
      description: 'The ports of the service.',
      cell: (o) =>
        asRecords(dig(o, 'spec', 'ports'))
          .map((p) => `${String(p.port)}/${asString(p.protocol) ?? 'TCP'}`)
          .join(','),
    },
    AGE,
  ],
  'rbac.authorization.k8s.io/clusterroles': [NAME, CREATED_AT],
  'rbac.authorization.k8s.io/roles': [NAME, CREATED_AT],
  'rbac.authorization.k8s.io/clusterrolebindings': BINDING_COLUMNS,
  'rbac.authorization.k8s.io/rolebindings': BINDING_COLUMNS,
  'core.gardener.cloud/shoots': [
    NAME,
    {
      name: 'CloudProfile',
      type: 'string',
      format: 'name',
      description: 'cloud profile',
      cell: (o) =>
        asString(dig(o, 'spec', 'cloudProfile', 'name')) ?? asString(dig(o, 'spec', 'cloudProfileName')) ?? '',
    },
    {
      name: 'Provider',
      type: 'string',
      format: 'name',
      description: 'provider',
      cell: (o) => asString(dig(o, 'spec', 'provider', 'type')) ?? '',
    },
    {
      name: 'Region',
      type: 'string',
      format: 'name',
      description: 'region',
      cell: (o) => asString(dig(o, 'spec', 'region')) ?? '',
    },
    {
      name: 'K8S Version',
      type: 'string',
      format: 'name',
      description: 'kubernetes version',
      cell: (o) => asString(dig(o, 'spec', 'kubernetes', 'version')) ?? '',
    },
    {
      name: 'Hibernation',
      type: 'string',
      format: 'name',
      description: 'hibernation',
      cell: (o) => (dig(o, 'spec', 'hibernation', 'enabled') === true ? 'Hibernated' : 'Awake'),
    },
    {
      name: 'Last Operation',
      type: 'string',
      format: 'name',
      description: 'last operation',
      cell: (o) => {
        const op = dig(o, 'status', 'lastOperation');
        return op
          ? `${String(dig(op, 'type'))} ${String(dig(op, 'state'))} (${Number(dig(op, 'progress') ?? 0)}%)`
          : '<pending>';
      },
    },
    {
      name: 'Status',
      type: 'string',
      format: 'name',
      description: 'status',
      cell: (o) => o.metadata.labels?.['shoot.gardener.cloud/status'] ?? '<pending>',
    },
    {
      name: 'APIServer',
      type: 'string',
      format: 'name',
      priority: 1,
      description: 'API server availability',
      cell: condition('APIServerAvailable'),
    },
    {
      name: 'Nodes',
      type: 'string',
      format: 'name',
      priority: 1,
      description: 'node health',
      cell: condition('EveryNodeReady'),
    },
    AGE,
  ],
};

export function tableFor(
  rt: ResourceType,
  objects: KubeObject[],
  resourceVersion: string,
  now: Date,
): Record<string, unknown> {
  const columns = COLUMNS[`${rt.group}/${rt.resource}`] ?? [NAME, CREATED_AT];
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { resourceVersion },
    columnDefinitions: columns.map((c) => ({
      name: c.name,
      type: c.type,
      format: c.format ?? '',
      description: c.description,
      priority: c.priority ?? 0,
    })),
    rows: objects.map((o) => ({
      cells: columns.map((c) => c.cell(o, now)),
      object: {
        kind: 'PartialObjectMetadata',
        apiVersion: 'meta.k8s.io/v1',
        metadata: o.metadata,
      },
    })),
  };
}
