import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CoreV1Api, KubeConfig, RbacAuthorizationV1Api } from '@kubernetes/client-node';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { Landscape, startLandscape } from '../../../src/simulator';
import { kubectl } from '../../support/kubectl';
import { apiError, ManualClock, rawRequest, readyRuntime, withToken } from './support';

type Keys = Awaited<ReturnType<typeof generateKeyPair>>;

/** A tiny OIDC provider: discovery document and JWKS over plain HTTP, counting key fetches. */
async function startIssuer(keys: Keys): Promise<{ url: string; server: Server; fetches: () => number }> {
  const jwk = { ...(await exportJWK(keys.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  let fetches = 0;
  let base = '';
  const server = createServer((req, res) => {
    res.setHeader('Content-Type', 'application/json');
    if (req.url === '/oidc/.well-known/openid-configuration') {
      res.end(
        JSON.stringify({
          issuer: `${base}/oidc`,
          jwks_uri: `${base}/oidc/keys`,
          id_token_signing_alg_values_supported: ['RS256'],
        }),
      );
    } else if (req.url === '/oidc/keys') {
      fetches += 1;
      res.end(JSON.stringify({ keys: [jwk] }));
    } else {
      res.statusCode = 404;
      res.end('{}');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url: `${base}/oidc`, server, fetches: () => fetches };
}

describe('OIDC authentication on runtime API servers', () => {
  const clock = new ManualClock();
  let keys: Keys;
  let strangerKeys: Keys;
  let issuer: Awaited<ReturnType<typeof startIssuer>>;
  let landscape: Landscape;
  let admin: string;

  beforeAll(async () => {
    [keys, strangerKeys] = await Promise.all([generateKeyPair('RS256'), generateKeyPair('RS256')]);
    issuer = await startIssuer(keys);
    landscape = await startLandscape({ clock, shootCreateDelayMs: 0, shootDeleteDelayMs: 0 });
    ({ kubeconfig: admin } = await readyRuntime(landscape, 'oidc', {
      spec: {
        kubernetes: {
          version: '1.32',
          kubeAPIServer: {
            oidcConfig: {
              clientID: 'kyma-runtime',
              issuerURL: issuer.url,
              groupsClaim: 'groups',
              usernameClaim: 'email',
              usernamePrefix: '-',
              signingAlgs: ['RS256'],
            },
          },
        },
      },
    }));
  });
  afterAll(async () => {
    await landscape.stop();
    await new Promise((r) => issuer.server.close(r));
  });
  afterEach(() => clock.reset());

  function idToken(
    claims: Record<string, unknown> = {},
    key = keys.privateKey,
    lifetimeSeconds = 300,
  ): Promise<string> {
    const iat = Math.floor(clock.now().getTime() / 1000);
    return new SignJWT({
      iss: issuer.url,
      aud: ['kyma-runtime'],
      sub: 'u-123',
      email: 'admin@example.com',
      groups: ['kyma-admins'],
      iat,
      exp: iat + lifetimeSeconds,
      ...claims,
    })
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .sign(key);
  }

  function asUser(token: string) {
    const kc = new KubeConfig();
    kc.loadFromString(withToken(admin, token));
    return kc.makeApiClient(CoreV1Api);
  }

  it('authenticates an ID token as its email, and RBAC decides until the broker binds cluster-admin', async () => {
    const token = await idToken();
    const user = asUser(token);
    const denied = await apiError(() => user.listNamespace({}));
    expect(denied.code).toBe(403);
    expect(denied.body?.message).toBe(
      'namespaces is forbidden: User "admin@example.com" cannot list resource "namespaces" in API group "" at the cluster scope',
    );

    const kc = new KubeConfig();
    kc.loadFromString(admin);
    await kc.makeApiClient(RbacAuthorizationV1Api).createClusterRoleBinding({
      body: {
        metadata: { name: 'kyma-administrators' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
        subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'admin@example.com' }],
      },
    });
    expect((await user.listNamespace({})).items.length).toBeGreaterThanOrEqual(5);

    const whoami = await kubectl(withToken(admin, token), ['auth', 'whoami']);
    expect(whoami.code).toBe(0);
    expect(whoami.stdout).toMatch(/Username\s+admin@example\.com/);
    expect(whoami.stdout).toMatch(/Groups\s+\[kyma-admins system:authenticated\]/);
    expect(issuer.fetches()).toBe(1);
  });

  it('grants by group claim as well', async () => {
    const kc = new KubeConfig();
    kc.loadFromString(admin);
    await kc.makeApiClient(RbacAuthorizationV1Api).createClusterRoleBinding({
      body: {
        metadata: { name: 'readers' },
        roleRef: {
          apiGroup: 'rbac.authorization.k8s.io',
          kind: 'ClusterRole',
          name: 'gardener.cloud:system:read-only',
        },
        subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'auditors' }],
      },
    });
    const auditor = asUser(await idToken({ email: 'eve@example.com', groups: ['auditors'] }));
    expect((await auditor.listNamespacedPod({ namespace: 'kyma-system' })).items.length).toBeGreaterThan(0);
    expect((await apiError(() => auditor.deleteNamespace({ name: 'kyma-system' }))).code).toBe(403);
  });

  it('refuses tokens for another client, from another signer, or expired on the injected clock', async () => {
    const call = async (token: string) =>
      (await rawRequest(withToken(admin, token), 'GET', '/api/v1/namespaces')).status;
    expect(await call(await idToken({ aud: 'someone-else' }))).toBe(401);
    expect(await call(await idToken({}, strangerKeys.privateKey))).toBe(401);
    expect(await call(await idToken({ email_verified: false }))).toBe(401);
    const token = await idToken({}, keys.privateKey, 300);
    expect(await call(token)).toBe(200);
    clock.advance(301_000);
    expect(await call(token)).toBe(401);
  });

  it('leaves runtimes without oidcConfig closed to ID tokens', async () => {
    const { kubeconfig } = await readyRuntime(landscape, 'no-oidc');
    expect((await rawRequest(withToken(kubeconfig, await idToken()), 'GET', '/api')).status).toBe(401);
  });

  it('prefixes usernames with the issuer when no prefix is configured and the claim is not email', async () => {
    const { kubeconfig } = await readyRuntime(landscape, 'oidc-sub', {
      spec: {
        kubernetes: {
          version: '1.32',
          kubeAPIServer: { oidcConfig: { clientID: 'kyma-runtime', issuerURL: issuer.url } },
        },
      },
    });
    const whoami = await rawRequest(
      withToken(kubeconfig, await idToken()),
      'POST',
      '/apis/authentication.k8s.io/v1/selfsubjectreviews',
      {
        apiVersion: 'authentication.k8s.io/v1',
        kind: 'SelfSubjectReview',
      },
    );
    expect(whoami.status).toBe(201);
    expect(whoami.json<{ status: { userInfo: { username: string; groups: string[] } } }>().status.userInfo).toEqual({
      username: `${issuer.url}#u-123`,
      groups: ['system:authenticated'],
    });
  });
});
