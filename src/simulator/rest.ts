import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SimulatorClock } from './clock';
import { mediaType, parseJson, parseObjectBody, queryOf, sendJson, wantsTable } from './http';
import { asString, isRecord } from './json';
import { jsonPatch, mergePatch } from './patch';
import type { RequestInfo } from './request-info';
import { apiVersionOf, groupResourceOf, ResourceType } from './resources';
import { matchesSelectors, parseFieldSelector, parseLabelSelector } from './selectors';
import {
  badRequest,
  goValue,
  invalid,
  methodNotSupported,
  notFound,
  successStatus,
  unsupportedMediaType,
} from './status';
import type { KubeObject, ObjectStore } from './store';
import { tableFor } from './tables';

/**
 * The generic registry behaviour (k8s.io/apiserver's REST store) for any resource held in an
 * ObjectStore: create/get/list/update/patch/delete with the real status codes and error bodies.
 * Resource-specific behaviour plugs in through hooks.
 */

export interface RestContext {
  store: ObjectStore;
  clock: SimulatorClock;
  /** The server's namespace resource, for the "namespace must exist" check on namespaced creates. */
  namespaces?: ResourceType;
}

export interface RestHooks {
  /** Validates and defaults a new object; throws a StatusError to refuse it. */
  prepareCreate?(obj: KubeObject): void;
  afterCreate?(obj: KubeObject): void;
  /** Validates an update (PUT or PATCH) against the stored object; may adjust `next`. */
  prepareUpdate?(current: KubeObject, next: KubeObject): void;
  afterUpdate?(previous: KubeObject, updated: KubeObject): void;
  /** Replaces immediate deletion (e.g. a Shoot's asynchronous one); returns what DELETE answers. */
  delete?(obj: KubeObject): KubeObject;
  afterDelete?(obj: KubeObject): void;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const GENERATE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

function validateName(rt: ResourceType, name: string): void {
  const rule = rt.nameRule ?? 'dns-subdomain';
  let detail: string | undefined;
  if (rule === 'dns-label' && (name.length > 63 || !DNS_LABEL.test(name))) {
    detail =
      name.length > 63
        ? 'must be no more than 63 characters'
        : "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
  } else if (rule === 'dns-subdomain' && (name.length > 253 || !DNS_SUBDOMAIN.test(name))) {
    detail =
      "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
  } else if (rule === 'path-segment' && (name === '.' || name === '..' || /[/%]/.test(name))) {
    detail = `may not contain '/' or '%'`;
  }
  if (detail) {
    throw invalid(rt.group, rt.kind, name, [{ field: 'metadata.name', value: goValue(name), detail }]);
  }
}

function generateSuffix(): string {
  return [...randomBytes(5)].map((b) => GENERATE_ALPHABET[b % GENERATE_ALPHABET.length]).join('');
}

function describe(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Turns a request body into an object of the right kind for this URL, or a 400. */
function objectFromBody(rt: ResourceType, info: RequestInfo, value: unknown): KubeObject {
  if (!isRecord(value)) {
    throw badRequest(`the object provided is unrecognized (must be of type ${rt.kind})`);
  }
  if (value.kind !== undefined && value.kind !== rt.kind) {
    throw badRequest(
      `the kind in the body (${describe(value.kind)}) does not match the kind of the resource (${rt.kind})`,
    );
  }
  if (value.apiVersion !== undefined && value.apiVersion !== apiVersionOf(rt)) {
    throw badRequest(
      `the API version in the data (${describe(value.apiVersion)}) does not match the expected API version (${apiVersionOf(rt)})`,
    );
  }
  const metadata = isRecord(value.metadata) ? { ...value.metadata } : {};
  const bodyNamespace = asString(metadata.namespace);
  if (rt.namespaced) {
    if (bodyNamespace && bodyNamespace !== info.namespace) {
      throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    metadata.namespace = info.namespace;
  }
  const obj: KubeObject = { ...value, metadata: { ...metadata, name: asString(metadata.name) ?? '' } };
  return obj;
}

function stripTypeMeta(obj: KubeObject): KubeObject {
  const { apiVersion: _a, kind: _k, ...rest } = obj;
  return rest;
}

function answerObject(
  req: IncomingMessage,
  res: ServerResponse,
  code: number,
  rt: ResourceType,
  obj: KubeObject,
  ctx: RestContext,
  headers: Record<string, string> = {},
): void {
  if (wantsTable(req)) {
    sendJson(res, code, tableFor(rt, [obj], obj.metadata.resourceVersion ?? '', ctx.clock.now()), headers);
  } else {
    sendJson(res, code, obj, headers);
  }
}

function isDryRun(req: IncomingMessage): boolean {
  return queryOf(req).getAll('dryRun').includes('All');
}

export function createObject(
  rt: ResourceType,
  info: RequestInfo,
  input: unknown,
  ctx: RestContext,
  hooks: RestHooks,
  dryRun: boolean,
): KubeObject {
  const obj = objectFromBody(rt, info, input);
  if (!obj.metadata.name) {
    const prefix = asString(obj.metadata.generateName);
    if (!prefix) {
      throw invalid(rt.group, rt.kind, '', [
        { field: 'metadata.name', value: '', detail: 'name or generateName is required', type: 'Required' },
      ]);
    }
    obj.metadata.name = `${prefix}${generateSuffix()}`;
  }
  validateName(rt, obj.metadata.name);
  if (rt.namespaced && ctx.namespaces && !ctx.store.peek(ctx.namespaces, undefined, info.namespace)) {
    throw notFound(groupResourceOf(ctx.namespaces), info.namespace);
  }
  hooks.prepareCreate?.(obj);
  if (dryRun) {
    if (ctx.store.peek(rt, obj.metadata.namespace, obj.metadata.name)) {
      ctx.store.create(rt, obj); // throws AlreadyExists, as the real dry run does
    }
    return { ...obj, apiVersion: apiVersionOf(rt), kind: rt.kind };
  }
  const created = ctx.store.create(rt, obj);
  hooks.afterCreate?.(created);
  return created;
}

function applyPatch(req: IncomingMessage, current: KubeObject, body: Buffer): unknown {
  const type = mediaType(req);
  switch (type) {
    case 'application/merge-patch+json':
    case 'application/strategic-merge-patch+json':
      // Strategic merge differs only for lists with merge keys; a plain merge is close enough here.
      return mergePatch(current, parseJson(body));
    case 'application/json-patch+json':
      return jsonPatch(current, parseJson(body));
    default:
      throw unsupportedMediaType(type || '(none)', [
        'application/json-patch+json',
        'application/merge-patch+json',
        'application/strategic-merge-patch+json',
      ]);
  }
}

function list(req: IncomingMessage, res: ServerResponse, rt: ResourceType, info: RequestInfo, ctx: RestContext): void {
  const query = queryOf(req);
  const labels = parseLabelSelector(query.get('labelSelector'));
  const fields = parseFieldSelector(query.get('fieldSelector'));
  let items = ctx.store.list(rt, rt.namespaced ? info.namespace || undefined : undefined);
  items = items.filter((o) => matchesSelectors(o, labels, fields));
  const resourceVersion = ctx.store.resourceVersion();
  // Pagination: `continue` is an opaque offset; kubectl stops when it is empty.
  const offset = Number.parseInt(Buffer.from(query.get('continue') ?? '', 'base64url').toString() || '0', 10) || 0;
  const limit = Number.parseInt(query.get('limit') ?? '0', 10) || 0;
  let next = '';
  if (offset > 0) {
    items = items.slice(offset);
  }
  if (limit > 0 && items.length > limit) {
    items = items.slice(0, limit);
    next = Buffer.from(String(offset + limit)).toString('base64url');
  }
  if (wantsTable(req)) {
    const table = tableFor(rt, items, resourceVersion, ctx.clock.now());
    sendJson(res, 200, { ...table, metadata: { resourceVersion, ...(next ? { continue: next } : {}) } });
    return;
  }
  sendJson(res, 200, {
    kind: `${rt.kind}List`,
    apiVersion: apiVersionOf(rt),
    metadata: { resourceVersion, ...(next ? { continue: next } : {}) },
    items: items.map(stripTypeMeta),
  });
}

/** Serves one request for a stored resource; `info.verb` decides what happens. */
export async function serveRest(
  req: IncomingMessage,
  res: ServerResponse,
  info: RequestInfo,
  rt: ResourceType,
  body: Buffer,
  ctx: RestContext,
  hooks: RestHooks = {},
): Promise<void> {
  const gr = groupResourceOf(rt);
  if (!rt.verbs.includes(info.verb)) {
    throw methodNotSupported(gr, info.verb);
  }
  const namespace = rt.namespaced ? info.namespace : undefined;
  switch (info.verb) {
    case 'get': {
      const obj = ctx.store.get(rt, namespace, info.name);
      if (!obj) {
        throw notFound(gr, info.name);
      }
      answerObject(req, res, 200, rt, obj, ctx);
      return;
    }
    case 'list':
      list(req, res, rt, info, ctx);
      return;
    case 'create': {
      const created = createObject(rt, info, parseObjectBody(req, body), ctx, hooks, isDryRun(req));
      answerObject(req, res, 201, rt, created, ctx);
      return;
    }
    case 'update':
    case 'patch': {
      const current = ctx.store.get(rt, namespace, info.name);
      let next: KubeObject;
      if (info.verb === 'update') {
        next = objectFromBody(rt, info, parseObjectBody(req, body));
        if (next.metadata.name !== info.name) {
          throw badRequest(
            `the name of the object (${next.metadata.name}) does not match the name on the URL (${info.name})`,
          );
        }
        if (!current) {
          if (!rt.allowCreateOnUpdate) {
            throw notFound(gr, info.name);
          }
          answerObject(req, res, 201, rt, createObject(rt, info, next, ctx, hooks, isDryRun(req)), ctx);
          return;
        }
      } else {
        if (!current) {
          throw notFound(gr, info.name);
        }
        next = objectFromBody(rt, info, applyPatch(req, current, body));
        if (next.metadata.name !== info.name) {
          throw badRequest('metadata.name: the name of a patched object cannot change');
        }
      }
      // deletionTimestamp is the server's to set, never a client's.
      if (current.metadata.deletionTimestamp) {
        next.metadata.deletionTimestamp = current.metadata.deletionTimestamp;
      } else {
        delete next.metadata.deletionTimestamp;
      }
      hooks.prepareUpdate?.(current, next);
      if (isDryRun(req)) {
        answerObject(req, res, 200, rt, { ...current, ...next }, ctx);
        return;
      }
      const updated = ctx.store.update(rt, next);
      hooks.afterUpdate?.(current, updated);
      answerObject(req, res, 200, rt, updated, ctx);
      return;
    }
    case 'delete': {
      const current = ctx.store.get(rt, namespace, info.name);
      if (!current) {
        throw notFound(gr, info.name);
      }
      if (isDryRun(req)) {
        answerObject(req, res, 200, rt, current, ctx);
        return;
      }
      let answer: KubeObject;
      if (hooks.delete) {
        answer = hooks.delete(current);
      } else {
        answer = ctx.store.delete(rt, namespace, info.name);
        hooks.afterDelete?.(answer);
      }
      if (rt.deleteReturnsObject) {
        answerObject(req, res, 200, rt, answer, ctx);
      } else {
        sendJson(
          res,
          200,
          successStatus({
            name: info.name,
            ...(rt.group ? { group: rt.group } : {}),
            kind: rt.resource,
            uid: current.metadata.uid,
          }),
        );
      }
      return;
    }
    default:
      throw methodNotSupported(gr, info.verb);
  }
}
