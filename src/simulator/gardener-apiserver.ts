import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createShootKubeconfig, DEFAULT_MAX_KUBECONFIG_EXPIRATION_SECONDS, ShootAccess } from './admin-kubeconfig';
import { authenticate, StaticTokenAuthenticator, TokenAuthenticator, X509Authenticator } from './authn';
import type { SimulatorClock } from './clock';
import {
  apiGroupDocument,
  apiGroupList,
  apiResourceList,
  apiVersions,
  openApiV3GroupVersion,
  openApiV3Root,
  versionInfo,
} from './discovery';
import { Faults, parseFaultConfig } from './faults';
import { parseJson, parseObjectBody, pathOf, queryOf, readBody, sendJson } from './http';
import { startHttpsServer, RunningServer } from './https-server';
import { buildKubeconfig } from './kubeconfig';
import { CertifiedKey, createCertificateAuthority, issueServingCertificate } from './pki';
import type { UserInfo } from './rbac';
import { parseRequestInfo, RequestInfo } from './request-info';
import {
  ADMIN_KUBECONFIG,
  findResource,
  GARDEN_NAMESPACES,
  GARDENER_RESOURCES,
  GARDENER_SUBRESOURCES,
  SHOOTS,
  VIEWER_KUBECONFIG,
} from './resources';
import { RestContext, serveRest } from './rest';
import { RuntimeProvider, ShootLifecycle } from './shoot-lifecycle';
import { forbidden, methodNotSupported, pathNotFound } from './status';
import { ObjectStore } from './store';

export const ADMIN_PATH = '/__simulator';
/** The identity the broker's Gardener credentials authenticate as. */
export const BROKER_USER: UserInfo = { username: 'kyma-broker', groups: ['system:authenticated'] };

export interface GardenerApiServerOptions {
  host: string;
  port?: number;
  clock: SimulatorClock;
  faults: Faults;
  runtimes: RuntimeProvider;
  /** CAs of a shoot's runtime, once it has one. */
  shootAccess(namespace: string, name: string): ShootAccess | undefined;
  createDelayMs: number;
  deleteDelayMs: number;
  reconcileDelayMs: number;
  maxKubeconfigExpirationSeconds?: number;
}

/**
 * The Gardener API server: core.gardener.cloud/v1beta1 Shoots in project namespaces, the
 * adminkubeconfig/viewerkubeconfig subresources, discovery, and the simulator's fault admin endpoint.
 * Every authenticated caller is the broker, so there is no RBAC on this side.
 */
export class GardenerApiServer {
  readonly store: ObjectStore;
  readonly lifecycle: ShootLifecycle;
  private readonly ctx: RestContext;
  private readonly tokenAuth: TokenAuthenticator;
  private x509?: X509Authenticator;
  private server?: RunningServer;
  private caPem = '';
  private clientCredentials?: CertifiedKey;
  readonly token = randomBytes(32).toString('base64url');

  private constructor(private readonly opts: GardenerApiServerOptions) {
    this.store = new ObjectStore(opts.clock);
    this.ctx = { store: this.store, clock: opts.clock, namespaces: GARDEN_NAMESPACES };
    this.tokenAuth = new StaticTokenAuthenticator(new Map([[this.token, BROKER_USER]]));
    this.lifecycle = new ShootLifecycle({
      store: this.store,
      clock: opts.clock,
      faults: opts.faults,
      runtimes: opts.runtimes,
      createDelayMs: opts.createDelayMs,
      deleteDelayMs: opts.deleteDelayMs,
      reconcileDelayMs: opts.reconcileDelayMs,
    });
    this.ensureNamespace('garden');
  }

  static async start(opts: GardenerApiServerOptions): Promise<GardenerApiServer> {
    const gardener = new GardenerApiServer(opts);
    const [ca, clientCa] = await Promise.all([
      createCertificateAuthority('gardener-simulator-ca'),
      createCertificateAuthority('gardener-simulator-client-ca'),
    ]);
    const [serving, client] = await Promise.all([
      issueServingCertificate(ca, opts.host),
      clientCa.issue({ commonName: BROKER_USER.username, usage: 'client' }),
    ]);
    gardener.caPem = ca.certPem;
    gardener.clientCredentials = client;
    gardener.x509 = new X509Authenticator(clientCa.certPem, opts.clock);
    gardener.server = await startHttpsServer({
      host: opts.host,
      port: opts.port,
      serving,
      clientCaPem: clientCa.certPem,
      faults: opts.faults,
      faultTarget: 'gardener',
      faultExempt: (path) => path.startsWith(ADMIN_PATH),
      handler: (req, res) => gardener.handle(req, res),
    });
    return gardener;
  }

  get url(): string {
    return this.server?.url ?? '';
  }

  /** A kubeconfig for the broker: the CA, and either the bearer token or a client certificate. */
  kubeconfig(credentials: 'token' | 'client-certificate'): string {
    return buildKubeconfig({
      name: 'garden',
      server: this.url,
      caPem: this.caPem,
      credentials:
        credentials === 'token' || !this.clientCredentials
          ? { token: this.token }
          : { clientCertificatePem: this.clientCredentials.certPem, clientKeyPem: this.clientCredentials.keyPem },
    });
  }

  async stop(): Promise<void> {
    await this.lifecycle.stop();
    await this.server?.close();
  }

  private ensureNamespace(name: string): void {
    if (!this.store.peek(GARDEN_NAMESPACES, undefined, name)) {
      const project = name.replace(/^garden-?/, '') || 'garden';
      this.store.create(GARDEN_NAMESPACES, {
        metadata: {
          name,
          labels: {
            'kubernetes.io/metadata.name': name,
            'gardener.cloud/role': 'project',
            'project.gardener.cloud/name': project,
          },
        },
        status: { phase: 'Active' },
      });
    }
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const user = await authenticate(req, this.x509, [this.tokenAuth]);
    const path = pathOf(req);
    if (path === ADMIN_PATH || path.startsWith(`${ADMIN_PATH}/`)) {
      this.serveAdmin(req, res, path, body);
      return;
    }
    const info = parseRequestInfo(req.method ?? 'GET', path, queryOf(req));
    if (!info.isResourceRequest) {
      this.serveNonResource(res, path);
      return;
    }
    await this.serveResource(req, res, info, body, user);
  }

  /** The simulator's own endpoint (never part of a real landscape): fault switches and a runtime list. */
  private serveAdmin(req: IncomingMessage, res: ServerResponse, path: string, body: Buffer): void {
    if (path === `${ADMIN_PATH}/faults`) {
      if (req.method === 'PUT' || req.method === 'POST') {
        this.opts.faults.setFaults(parseFaultConfig(parseJson(body)));
      } else if (req.method === 'DELETE') {
        this.opts.faults.clear();
      } else if (req.method !== 'GET') {
        throw methodNotSupported({ group: '', resource: 'faults' }, (req.method ?? '').toLowerCase());
      }
      sendJson(res, 200, { faults: this.opts.faults.current() });
      return;
    }
    if (path === `${ADMIN_PATH}/runtimes` && req.method === 'GET') {
      sendJson(res, 200, { runtimes: this.lifecycle.runtimes() });
      return;
    }
    throw pathNotFound();
  }

  private serveNonResource(res: ServerResponse, path: string): void {
    const normalized = path.replace(/\/+$/, '') || '/';
    const parts = normalized.split('/').filter((p) => p.length > 0);
    if (/^\/(healthz|livez|readyz)(\/.*)?$/.test(normalized)) {
      res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': '2' });
      res.end('ok');
      return;
    }
    let doc: unknown;
    if (normalized === '/version') {
      doc = versionInfo('v1.110.0');
    } else if (normalized === '/api') {
      doc = apiVersions(new URL(this.url).host);
    } else if (normalized === '/api/v1') {
      doc = apiResourceList(GARDENER_RESOURCES, GARDENER_SUBRESOURCES, '', 'v1');
    } else if (normalized === '/apis') {
      doc = apiGroupList(GARDENER_RESOURCES);
    } else if (parts[0] === 'apis' && parts.length === 2) {
      doc = apiGroupDocument(GARDENER_RESOURCES, parts[1]);
    } else if (parts[0] === 'apis' && parts.length === 3) {
      doc = apiResourceList(GARDENER_RESOURCES, GARDENER_SUBRESOURCES, parts[1], parts[2]);
    } else if (normalized === '/openapi/v3') {
      doc = openApiV3Root(GARDENER_RESOURCES);
    } else if (normalized.startsWith('/openapi/v3/')) {
      doc = openApiV3GroupVersion(GARDENER_RESOURCES, normalized.slice('/openapi/v3/'.length), 'v1.110.0');
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
    const rt = findResource(GARDENER_RESOURCES, info.apiGroup, info.apiVersion, info.resource);
    if (!rt) {
      throw pathNotFound();
    }
    if (rt === SHOOTS && info.subresource) {
      const sub = [ADMIN_KUBECONFIG, VIEWER_KUBECONFIG].find((s) => s.name === info.subresource);
      if (!sub || !info.name) {
        throw pathNotFound();
      }
      if (info.verb !== 'create') {
        throw methodNotSupported({ group: SHOOTS.group, resource: `shoots/${sub.name}` }, info.verb);
      }
      const answer = await createShootKubeconfig({
        kind: sub === ADMIN_KUBECONFIG ? 'admin' : 'viewer',
        input: parseObjectBody(req, body),
        shoot: this.store.get(SHOOTS, info.namespace, info.name),
        shootName: info.name,
        access: this.opts.shootAccess(info.namespace, info.name),
        caller: user,
        clock: this.opts.clock,
        maxExpirationSeconds: this.opts.maxKubeconfigExpirationSeconds ?? DEFAULT_MAX_KUBECONFIG_EXPIRATION_SECONDS,
      });
      sendJson(res, 201, answer);
      return;
    }
    if (info.subresource) {
      throw pathNotFound();
    }
    if (rt === SHOOTS && info.verb === 'create') {
      // Shoots live in project namespaces; the project (and its namespace) is created on first use.
      if (!info.namespace.startsWith('garden-')) {
        throw forbidden(
          { group: SHOOTS.group, resource: SHOOTS.resource },
          '',
          `namespace "${info.namespace}" is not a project namespace (garden-<project>)`,
        );
      }
      this.ensureNamespace(info.namespace);
    }
    await serveRest(req, res, info, rt, body, this.ctx, rt === SHOOTS ? this.lifecycle.hooks() : undefined);
  }
}
