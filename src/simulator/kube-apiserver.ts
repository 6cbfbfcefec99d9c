import type { IncomingMessage, ServerResponse } from 'node:http';
import { authenticate, TokenAuthenticator, X509Authenticator } from './authn';
import type { SimulatorClock } from './clock';
import { rfc3339 } from './clock';
import {
  apiGroupDocument,
  apiGroupList,
  apiResourceList,
  apiVersions,
  openApiV3GroupVersion,
  openApiV3Root,
  versionInfo,
} from './discovery';
import type { Faults } from './faults';
import { parseObjectBody, pathOf, queryOf, readBody, sendJson } from './http';
import { startHttpsServer, RunningServer } from './https-server';
import { isRecord, JsonObject } from './json';
import { OidcAuthenticator, OidcConfig, OidcKeySets } from './oidc';
import {
  CertificateAuthority,
  createCertificateAuthority,
  createTokenSigningKey,
  issueServingCertificate,
  KeyPair,
} from './pki';
import { authorize, forbiddenMessage, RbacObjects, UserInfo } from './rbac';
import { parseRequestInfo, RequestInfo } from './request-info';
import {
  CLUSTER_ROLE_BINDINGS,
  CLUSTER_ROLES,
  findResource,
  NAMESPACES,
  PODS,
  ResourceType,
  ROLE_BINDINGS,
  ROLES,
  RUNTIME_RESOURCES,
  RUNTIME_SUBRESOURCES,
  SELF_SUBJECT_ACCESS_REVIEWS,
  SELF_SUBJECT_REVIEWS,
  SELF_SUBJECT_RULES_REVIEWS,
  SERVICE_ACCOUNTS,
} from './resources';
import { RestContext, RestHooks, serveRest } from './rest';
import { selfSubjectAccessReview, selfSubjectReview, selfSubjectRulesReview } from './reviews';
import { ServiceAccountTokens, TokenSubjects } from './sa-tokens';
import { defaultServiceAccount, seedRuntime } from './seed';
import { forbidden, methodNotSupported, pathNotFound } from './status';
import { ObjectStore } from './store';
import type { KubeObject } from './store';
import { createTokenRequest, DEFAULT_MAX_TOKEN_EXPIRATION_SECONDS } from './token-request';

/** Key material of one runtime; generated ahead of time so a shoot's API server starts instantly. */
export interface RuntimePki {
  clusterCa: CertificateAuthority;
  clientCa: CertificateAuthority;
  tokenKeys: KeyPair;
}

export async function generateRuntimePki(name: string): Promise<RuntimePki> {
  const [clusterCa, clientCa, tokenKeys] = await Promise.all([
    createCertificateAuthority(`ca-cluster ${name}`),
    createCertificateAuthority(`ca-client ${name}`),
    createTokenSigningKey(),
  ]);
  return { clusterCa, clientCa, tokenKeys };
}

export interface KubeApiServerOptions {
  name: string;
  host: string;
  clock: SimulatorClock;
  faults: Faults;
  oidcKeySets: OidcKeySets;
  oidc?: OidcConfig;
  /** e.g. `1.32` or `1.32.3`; reported by /version. */
  kubernetesVersion?: string;
  maxTokenExpirationSeconds?: number;
  tokenLeewaySeconds?: number;
  pki?: RuntimePki;
}

/** Namespaces whose deletion kube-apiserver refuses. */
const UNDELETABLE_NAMESPACES = new Set(['default', 'kube-system', 'kube-public']);

function gitVersion(version: string | undefined): string {
  const m = /^v?(\d+)\.(\d+)(?:\.(\d+))?$/.exec(version ?? '');
  return m ? `v${m[1]}.${m[2]}.${m[3] ?? '0'}` : 'v1.32.0';
}

/**
 * One runtime's kube-apiserver: discovery, the core and RBAC resources a broker and a kubectl user
 * touch, TokenRequest, the self-reviews, and the real authentication/authorization chain in front.
 */
export class KubeApiServer {
  readonly store: ObjectStore;
  private readonly tokens: ServiceAccountTokens;
  private readonly x509: X509Authenticator;
  private oidc?: OidcAuthenticator;
  private server?: RunningServer;
  private readonly rbac: RbacObjects;
  private readonly ctx: RestContext;
  private readonly hooks = new Map<ResourceType, RestHooks>();

  private constructor(
    private readonly opts: KubeApiServerOptions,
    readonly pki: RuntimePki,
    tokens: ServiceAccountTokens,
  ) {
    this.store = new ObjectStore(opts.clock);
    this.tokens = tokens;
    this.x509 = new X509Authenticator(pki.clientCa.certPem, opts.clock);
    this.ctx = { store: this.store, clock: opts.clock, namespaces: NAMESPACES };
    const store = this.store;
    this.rbac = {
      clusterRole: (name) => store.peek(CLUSTER_ROLES, undefined, name),
      role: (namespace, name) => store.peek(ROLES, namespace, name),
      clusterRoleBindings: () => store.scan(CLUSTER_ROLE_BINDINGS),
      roleBindings: (namespace) => store.scan(ROLE_BINDINGS, namespace),
    };
    this.hooks.set(NAMESPACES, this.namespaceHooks());
    this.setOidc(opts.oidc);
    seedRuntime(this.store);
  }

  static async start(opts: KubeApiServerOptions): Promise<KubeApiServer> {
    const pki = opts.pki ?? (await generateRuntimePki(opts.name));
    const tokens = await ServiceAccountTokens.create({
      clock: opts.clock,
      keys: pki.tokenKeys,
      leewaySeconds: opts.tokenLeewaySeconds,
    });
    const apiServer = new KubeApiServer(opts, pki, tokens);
    const serving = await issueServingCertificate(pki.clusterCa, opts.host, [
      'kubernetes',
      'kubernetes.default',
      'kubernetes.default.svc',
      'kubernetes.default.svc.cluster.local',
    ]);
    apiServer.server = await startHttpsServer({
      host: opts.host,
      serving,
      clientCaPem: pki.clientCa.certPem,
      faults: opts.faults,
      faultTarget: 'runtime',
      handler: (req, res) => apiServer.handle(req, res),
    });
    return apiServer;
  }

  get url(): string {
    return this.server?.url ?? '';
  }

  get clusterCaPem(): string {
    return this.pki.clusterCa.certPem;
  }

  /** Applies (or removes) OIDC authentication, as a reconcile of the shoot's kube-apiserver would. */
  setOidc(config: OidcConfig | undefined): void {
    this.oidc = config ? new OidcAuthenticator(config, this.opts.oidcKeySets, this.opts.clock) : undefined;
  }

  async stop(): Promise<void> {
    await this.server?.close();
  }

  private tokenAuthenticators(): TokenAuthenticator[] {
    const subjects: TokenSubjects = {
      serviceAccount: (namespace, name) => {
        const sa = this.store.peek(SERVICE_ACCOUNTS, namespace, name);
        return sa ? { uid: sa.metadata.uid, deletionTimestamp: sa.metadata.deletionTimestamp } : undefined;
      },
      boundObject: (kind, namespace, name) =>
        kind === 'Pod' ? this.store.peek(PODS, namespace, name)?.metadata : undefined,
    };
    const list: TokenAuthenticator[] = [
      { isOurs: (t) => this.tokens.isOurs(t), validate: (t) => this.tokens.validate(t, subjects) },
    ];
    const oidc = this.oidc;
    if (oidc) {
      list.push({ isOurs: (t) => oidc.isOurs(t), validate: (t) => oidc.authenticate(t) });
    }
    return list;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const user = await authenticate(req, this.x509, this.tokenAuthenticators());
    const path = pathOf(req);
    const info = parseRequestInfo(req.method ?? 'GET', path, queryOf(req));
    const decision = authorize(this.rbac, { ...info, user });
    if (!decision.allowed) {
      const why = forbiddenMessage({ ...info, user });
      throw forbidden(
        info.isResourceRequest ? { group: info.apiGroup, resource: info.resource } : { group: '', resource: '' },
        info.name,
        decision.reason ? `${why}: ${decision.reason}` : why,
      );
    }
    if (!info.isResourceRequest) {
      this.serveNonResource(res, path);
      return;
    }
    await this.serveResource(req, res, info, body, user);
  }

  private serveNonResource(res: ServerResponse, path: string): void {
    const normalized = path.replace(/\/+$/, '') || '/';
    const parts = normalized.split('/').filter((p) => p.length > 0);
    if (/^\/(healthz|livez|readyz)(\/.*)?$/.test(normalized)) {
      // kube-apiserver answers health checks in plain text; `ok` is not JSON.
      res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': '2' });
      res.end('ok');
      return;
    }
    let doc: unknown;
    if (normalized === '/version') {
      doc = versionInfo(gitVersion(this.opts.kubernetesVersion));
    } else if (normalized === '/api') {
      doc = apiVersions(new URL(this.url).host);
    } else if (normalized === '/api/v1') {
      doc = apiResourceList(RUNTIME_RESOURCES, RUNTIME_SUBRESOURCES, '', 'v1');
    } else if (normalized === '/apis') {
      doc = apiGroupList(RUNTIME_RESOURCES);
    } else if (parts[0] === 'apis' && parts.length === 2) {
      doc = apiGroupDocument(RUNTIME_RESOURCES, parts[1]);
    } else if (parts[0] === 'apis' && parts.length === 3) {
      doc = apiResourceList(RUNTIME_RESOURCES, RUNTIME_SUBRESOURCES, parts[1], parts[2]);
    } else if (normalized === '/openapi/v3') {
      doc = openApiV3Root(RUNTIME_RESOURCES);
    } else if (normalized.startsWith('/openapi/v3/')) {
      doc = openApiV3GroupVersion(
        RUNTIME_RESOURCES,
        normalized.slice('/openapi/v3/'.length),
        gitVersion(this.opts.kubernetesVersion),
      );
    }
    if (doc === undefined) {
      throw pathNotFound();
    }
    sendJson(res, 200, doc);
  }

  private async serveResource(
    req: IncomingMessage,
    res: ServerResponse,
    info: RequestInfo,
    body: Buffer,
    user: UserInfo,
  ): Promise<void> {
    const rt = findResource(RUNTIME_RESOURCES, info.apiGroup, info.apiVersion, info.resource);
    if (!rt) {
      throw pathNotFound();
    }
    if (info.subresource) {
      if (rt !== SERVICE_ACCOUNTS || info.subresource !== 'token' || !info.name) {
        throw pathNotFound();
      }
      if (info.verb !== 'create') {
        throw methodNotSupported({ group: '', resource: 'serviceaccounts/token' }, info.verb);
      }
      const result = await createTokenRequest(
        {
          tokens: this.tokens,
          maxExpirationSeconds: this.opts.maxTokenExpirationSeconds ?? DEFAULT_MAX_TOKEN_EXPIRATION_SECONDS,
          serviceAccount: (namespace, name) => this.store.get(SERVICE_ACCOUNTS, namespace, name),
          pod: (namespace, name) => this.store.get(PODS, namespace, name),
        },
        info.namespace,
        info.name,
        parseObjectBody(req, body),
      );
      sendJson(res, 201, result.body, result.warning ? { Warning: result.warning } : {});
      return;
    }
    if (rt === SELF_SUBJECT_REVIEWS || rt === SELF_SUBJECT_ACCESS_REVIEWS || rt === SELF_SUBJECT_RULES_REVIEWS) {
      if (info.verb !== 'create') {
        throw methodNotSupported({ group: rt.group, resource: rt.resource }, info.verb);
      }
      // kubectl sends these bodies as protobuf.
      const raw = parseObjectBody(req, body);
      const input: JsonObject = isRecord(raw) ? raw : {};
      const answer =
        rt === SELF_SUBJECT_REVIEWS
          ? selfSubjectReview(user)
          : rt === SELF_SUBJECT_ACCESS_REVIEWS
            ? selfSubjectAccessReview(input, user, this.rbac)
            : selfSubjectRulesReview(input, user, this.rbac);
      sendJson(res, 201, answer);
      return;
    }
    await serveRest(req, res, info, rt, body, this.ctx, this.hooks.get(rt));
  }

  private namespaceHooks(): RestHooks {
    return {
      prepareCreate: (ns) => {
        ns.metadata.labels = { ...(ns.metadata.labels ?? {}), 'kubernetes.io/metadata.name': ns.metadata.name };
        ns.spec = { finalizers: ['kubernetes'] };
        ns.status = { phase: 'Active' };
      },
      // The ServiceAccount controller gives every namespace its `default` ServiceAccount.
      afterCreate: (ns) => {
        this.store.create(SERVICE_ACCOUNTS, defaultServiceAccount(ns.metadata.name));
      },
      // Namespace deletion removes everything in it at once (a real one passes through Terminating).
      delete: (ns: KubeObject) => {
        if (UNDELETABLE_NAMESPACES.has(ns.metadata.name)) {
          throw forbidden({ group: '', resource: 'namespaces' }, ns.metadata.name, 'this namespace may not be deleted');
        }
        this.store.deleteNamespaced(RUNTIME_RESOURCES, ns.metadata.name);
        const deleted = this.store.delete(NAMESPACES, undefined, ns.metadata.name);
        return {
          ...deleted,
          metadata: { ...deleted.metadata, deletionTimestamp: rfc3339(this.opts.clock.now()) },
          status: { phase: 'Terminating' },
        };
      },
    };
  }
}
