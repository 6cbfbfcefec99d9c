import { rfc3339 } from './clock';
import { asString, asStrings, dig, isRecord } from './json';
import {
  BoundObject,
  DEFAULT_TOKEN_EXPIRATION_SECONDS,
  MIN_TOKEN_EXPIRATION_SECONDS,
  ServiceAccountTokens,
} from './sa-tokens';
import { badRequest, conflict, goValue, invalid, notFound } from './status';
import type { KubeObject } from './store';

/** Gardener's default --service-account-max-token-expiration for shoots (30 days). */
export const DEFAULT_MAX_TOKEN_EXPIRATION_SECONDS = 30 * 24 * 3600;
const MAX_EXPIRATION_SECONDS = 2 ** 32;

export interface TokenRequestContext {
  tokens: ServiceAccountTokens;
  maxExpirationSeconds: number;
  serviceAccount(namespace: string, name: string): KubeObject | undefined;
  pod(namespace: string, name: string): KubeObject | undefined;
}

export interface TokenRequestResult {
  body: KubeObject;
  warning?: string;
}

/**
 * POST serviceaccounts/{name}/token, in the order kube-apiserver's token REST storage checks things:
 * name/namespace consistency, ServiceAccount existence, audiences default, bounds, bound object, cap.
 */
export async function createTokenRequest(
  ctx: TokenRequestContext,
  namespace: string,
  name: string,
  input: unknown,
): Promise<TokenRequestResult> {
  if (!isRecord(input)) {
    throw badRequest('the object provided is unrecognized (must be of type TokenRequest)');
  }
  const requestedName = asString(dig(input, 'metadata', 'name'));
  if (requestedName && requestedName !== name) {
    throw invalid('authentication.k8s.io', 'TokenRequest', requestedName, [
      {
        field: 'metadata.name',
        value: goValue(requestedName),
        detail: 'must match the service account name if specified',
      },
    ]);
  }
  const requestedNamespace = asString(dig(input, 'metadata', 'namespace'));
  if (requestedNamespace && requestedNamespace !== namespace) {
    throw invalid('authentication.k8s.io', 'TokenRequest', requestedName ?? '', [
      {
        field: 'metadata.namespace',
        value: goValue(requestedNamespace),
        detail: 'must match the service account namespace if specified',
      },
    ]);
  }
  const sa = ctx.serviceAccount(namespace, name);
  if (!sa) {
    throw notFound({ group: '', resource: 'serviceaccounts' }, name);
  }
  const spec = isRecord(input.spec) ? input.spec : {};
  const audiences = asStrings(spec.audiences).length ? asStrings(spec.audiences) : ctx.tokens.audiences;
  const requested =
    spec.expirationSeconds === undefined ? DEFAULT_TOKEN_EXPIRATION_SECONDS : Number(spec.expirationSeconds);
  if (!Number.isInteger(requested) || requested < MIN_TOKEN_EXPIRATION_SECONDS) {
    throw invalid('authentication.k8s.io', 'TokenRequest', '', [
      {
        field: 'spec.expirationSeconds',
        value: goValue(spec.expirationSeconds),
        detail: 'may not specify a duration less than 10 minutes',
      },
    ]);
  }
  if (requested > MAX_EXPIRATION_SECONDS) {
    throw invalid('authentication.k8s.io', 'TokenRequest', '', [
      {
        field: 'spec.expirationSeconds',
        value: goValue(requested),
        detail: 'may not specify a duration larger than 2^32 seconds',
      },
    ]);
  }

  let bound: BoundObject | undefined;
  const ref = spec.boundObjectRef;
  if (isRecord(ref)) {
    const kind = asString(ref.kind) ?? '';
    const refName = asString(ref.name) ?? '';
    if (kind !== 'Pod' && kind !== 'Secret' && kind !== 'Node') {
      throw badRequest(`cannot bind token to object of type ${kind}`);
    }
    // Only Pods exist in the simulator; binding to a Secret or Node finds nothing, as in a cluster without them.
    const target = kind === 'Pod' ? ctx.pod(namespace, refName) : undefined;
    if (!target) {
      throw notFound(
        { group: '', resource: kind === 'Pod' ? 'pods' : kind === 'Secret' ? 'secrets' : 'nodes' },
        refName,
      );
    }
    const uid = asString(ref.uid);
    if (uid && uid !== target.metadata.uid) {
      throw conflict(
        { group: '', resource: 'pods' },
        refName,
        `the UID in the bound object reference (${uid}) does not match the UID in record. The object might have been deleted and then recreated`,
      );
    }
    bound = { kind, name: refName, uid: target.metadata.uid ?? '' };
  }

  let granted = requested;
  let warning: string | undefined;
  if (ctx.maxExpirationSeconds > 0 && requested > ctx.maxExpirationSeconds) {
    granted = ctx.maxExpirationSeconds;
    warning = `299 - "requested expiration of ${requested} seconds shortened to ${granted} seconds"`;
  }

  const issued = await ctx.tokens.issue({
    namespace,
    name,
    uid: sa.metadata.uid ?? '',
    audiences,
    expirationSeconds: granted,
    bound,
  });
  return {
    body: {
      kind: 'TokenRequest',
      apiVersion: 'authentication.k8s.io/v1',
      metadata: { name, namespace, creationTimestamp: rfc3339(issued.issuedAt) },
      spec: {
        audiences,
        expirationSeconds: granted,
        boundObjectRef: isRecord(ref) ? { ...ref, ...(bound ? { uid: bound.uid } : {}) } : null,
      },
      status: { token: issued.token, expirationTimestamp: rfc3339(issued.expiresAt) },
    },
    warning,
  };
}
