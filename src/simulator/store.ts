import { randomUUID } from 'node:crypto';
import { rfc3339, SimulatorClock } from './clock';
import { apiVersionOf, groupResourceOf, ResourceType } from './resources';
import { alreadyExists, conflict, notFound } from './status';

export interface ObjectMeta {
  name: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
  [key: string]: unknown;
}

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  [key: string]: unknown;
}

/**
 * In-memory object storage for one API server (what etcd plus the generic registry give a real one):
 * uids, a cluster-wide resourceVersion counter and creation timestamps. Reads hand out copies so
 * callers can never change stored state by accident.
 */
export class ObjectStore {
  private revision = 1;
  private readonly byResource = new Map<string, Map<string, KubeObject>>();

  constructor(private readonly clock: SimulatorClock) {}

  resourceVersion(): string {
    return String(this.revision);
  }

  private bucket(rt: ResourceType): Map<string, KubeObject> {
    const key = `${rt.group}/${rt.resource}`;
    let bucket = this.byResource.get(key);
    if (!bucket) {
      bucket = new Map();
      this.byResource.set(key, bucket);
    }
    return bucket;
  }

  private static key(rt: ResourceType, namespace: string | undefined, name: string): string {
    return rt.namespaced ? `${namespace ?? ''}/${name}` : name;
  }

  get(rt: ResourceType, namespace: string | undefined, name: string): KubeObject | undefined {
    const found = this.bucket(rt).get(ObjectStore.key(rt, namespace, name));
    return found ? structuredClone(found) : undefined;
  }

  /** Reads without copying, for hot paths that only look (token validation, RBAC). */
  peek(rt: ResourceType, namespace: string | undefined, name: string): Readonly<KubeObject> | undefined {
    return this.bucket(rt).get(ObjectStore.key(rt, namespace, name));
  }

  /** Objects of a resource, in one namespace or all of them, sorted like etcd keys (namespace, name). */
  list(rt: ResourceType, namespace?: string): KubeObject[] {
    return this.peekAll(rt, namespace).map((o) => structuredClone(o));
  }

  /** Unordered, uncopied iteration for per-request checks such as RBAC, where sorting would be wasted. */
  scan(rt: ResourceType, namespace?: string): Array<Readonly<KubeObject>> {
    const all = [...this.bucket(rt).values()];
    return namespace ? all.filter((o) => o.metadata.namespace === namespace) : all;
  }

  peekAll(rt: ResourceType, namespace?: string): ReadonlyArray<Readonly<KubeObject>> {
    const all = [...this.bucket(rt).values()].filter((o) => !namespace || o.metadata.namespace === namespace);
    return all.sort((a, b) =>
      `${a.metadata.namespace ?? ''}/${a.metadata.name}`.localeCompare(
        `${b.metadata.namespace ?? ''}/${b.metadata.name}`,
      ),
    );
  }

  create(rt: ResourceType, input: KubeObject): KubeObject {
    const bucket = this.bucket(rt);
    const obj = structuredClone(input);
    const key = ObjectStore.key(rt, obj.metadata.namespace, obj.metadata.name);
    if (bucket.has(key)) {
      throw alreadyExists(groupResourceOf(rt), obj.metadata.name);
    }
    this.revision += 1;
    obj.apiVersion = apiVersionOf(rt);
    obj.kind = rt.kind;
    obj.metadata = {
      ...obj.metadata,
      uid: randomUUID(),
      resourceVersion: String(this.revision),
      creationTimestamp: rfc3339(this.clock.now()),
    };
    if (!rt.namespaced) {
      delete obj.metadata.namespace;
    }
    delete obj.metadata.deletionTimestamp;
    bucket.set(key, obj);
    return structuredClone(obj);
  }

  /**
   * Replaces an object. A resourceVersion in the input must match the stored one (optimistic
   * concurrency, 409 Conflict otherwise); identity fields are kept from the stored object.
   */
  update(rt: ResourceType, input: KubeObject): KubeObject {
    const bucket = this.bucket(rt);
    const key = ObjectStore.key(rt, input.metadata.namespace, input.metadata.name);
    const stored = bucket.get(key);
    if (!stored) {
      throw notFound(groupResourceOf(rt), input.metadata.name);
    }
    const rv = input.metadata.resourceVersion;
    if (rv && rv !== stored.metadata.resourceVersion) {
      throw conflict(
        groupResourceOf(rt),
        input.metadata.name,
        'the object has been modified; please apply your changes to the latest version and try again',
      );
    }
    this.revision += 1;
    const obj = structuredClone(input);
    obj.apiVersion = apiVersionOf(rt);
    obj.kind = rt.kind;
    obj.metadata = {
      ...obj.metadata,
      name: stored.metadata.name,
      ...(rt.namespaced ? { namespace: stored.metadata.namespace } : {}),
      uid: stored.metadata.uid,
      creationTimestamp: stored.metadata.creationTimestamp,
      ...(stored.metadata.deletionTimestamp ? { deletionTimestamp: stored.metadata.deletionTimestamp } : {}),
      resourceVersion: String(this.revision),
    };
    bucket.set(key, obj);
    return structuredClone(obj);
  }

  /** Read-modify-write inside the store, for controllers (shoot status) that must not race clients. */
  mutate(rt: ResourceType, namespace: string | undefined, name: string, change: (obj: KubeObject) => void): KubeObject {
    const current = this.get(rt, namespace, name);
    if (!current) {
      throw notFound(groupResourceOf(rt), name);
    }
    change(current);
    current.metadata.resourceVersion = undefined;
    return this.update(rt, current);
  }

  delete(rt: ResourceType, namespace: string | undefined, name: string): KubeObject {
    const bucket = this.bucket(rt);
    const key = ObjectStore.key(rt, namespace, name);
    const stored = bucket.get(key);
    if (!stored) {
      throw notFound(groupResourceOf(rt), name);
    }
    bucket.delete(key);
    this.revision += 1;
    return stored;
  }

  /** Removes every object of the given resources in a namespace (namespace deletion). */
  deleteNamespaced(resources: ResourceType[], namespace: string): void {
    for (const rt of resources.filter((r) => r.namespaced)) {
      for (const obj of this.peekAll(rt, namespace)) {
        this.bucket(rt).delete(ObjectStore.key(rt, namespace, obj.metadata.name));
      }
    }
    this.revision += 1;
  }
}
