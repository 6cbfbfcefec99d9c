import type { SimulatorClock } from './clock';
import { rfc3339 } from './clock';
import { asRecords, asString, dig, isRecord } from './json';
import { buildKubeconfig } from './kubeconfig';
import type { CertificateAuthority } from './pki';
import { toCertTime } from './pki';
import type { UserInfo } from './rbac';
import { GARDENER_AUTH_GROUP, SHOOTS } from './resources';
import { ADMINS_GROUP, VIEWERS_GROUP } from './seed';
import { badRequest, goValue, internalError, invalid, notFound } from './status';
import type { KubeObject } from './store';

/** gardener-apiserver's --shoot-admin-kubeconfig-max-expiration default. */
export const DEFAULT_MAX_KUBECONFIG_EXPIRATION_SECONDS = 24 * 3600;
const DEFAULT_EXPIRATION_SECONDS = 3600;
const MIN_EXPIRATION_SECONDS = 600;
/** Addresses that serve the kube-apiserver (others, like the issuer URL, are skipped). */
const API_SERVER_ADDRESSES = ['external', 'internal', 'wildcard-tls-seed-bound', 'unmanaged'];

export type KubeconfigKind = 'admin' | 'viewer';

export interface ShootAccess {
  /** PEM of the cluster CA the kubeconfig must trust. */
  clusterCaPem: string;
  clientCa: CertificateAuthority;
}

/**
 * shoots/adminkubeconfig and shoots/viewerkubeconfig (Gardener's KubeconfigREST.Create): validate,
 * find the shoot's API server address, cap the lifetime, and sign a client certificate with the
 * shoot's client CA for `gardener.cloud:admin:<caller>`.
 */
export async function createShootKubeconfig(opts: {
  kind: KubeconfigKind;
  input: unknown;
  shoot: KubeObject | undefined;
  shootName: string;
  access: ShootAccess | undefined;
  caller: UserInfo;
  clock: SimulatorClock;
  maxExpirationSeconds: number;
}): Promise<KubeObject> {
  const requestKind = opts.kind === 'admin' ? 'AdminKubeconfigRequest' : 'ViewerKubeconfigRequest';
  if (!isRecord(opts.input)) {
    throw badRequest(`the object provided is unrecognized (must be of type ${requestKind})`);
  }
  const raw = dig(opts.input, 'spec', 'expirationSeconds');
  const requested = raw === undefined || raw === null ? DEFAULT_EXPIRATION_SECONDS : Number(raw);
  if (!Number.isInteger(requested) || requested < MIN_EXPIRATION_SECONDS) {
    throw invalid(GARDENER_AUTH_GROUP, requestKind, '', [
      {
        field: 'spec.expirationSeconds',
        value: goValue(raw),
        detail: 'may not specify a duration less than 10 minutes',
      },
    ]);
  }
  if (requested > 2 ** 32) {
    throw invalid(GARDENER_AUTH_GROUP, requestKind, '', [
      {
        field: 'spec.expirationSeconds',
        value: goValue(raw),
        detail: 'may not specify a duration longer than 4294967296 seconds',
      },
    ]);
  }
  const shoot = opts.shoot;
  if (!shoot) {
    throw notFound({ group: SHOOTS.group, resource: SHOOTS.resource }, opts.shootName);
  }
  const addresses = asRecords(dig(shoot, 'status', 'advertisedAddresses')).filter((a) =>
    API_SERVER_ADDRESSES.includes(asString(a.name) ?? ''),
  );
  if (addresses.length === 0) {
    throw invalid(GARDENER_AUTH_GROUP, requestKind, shoot.metadata.name, [
      {
        field: 'status.status',
        value: '[]core.ShootAdvertisedAddress(nil)',
        detail: 'no suitable advertised address for kube-apiserver found in .status.advertisedAddresses',
      },
    ]);
  }
  if (!opts.access) {
    throw internalError('could not get client CA secret');
  }
  // Longer requests are silently shortened to the configured maximum.
  const granted = Math.min(requested, opts.maxExpirationSeconds);
  const now = opts.clock.now();
  const notAfter = toCertTime(new Date(now.getTime() + granted * 1000));
  const cert = await opts.access.clientCa.issue({
    commonName: `gardener.cloud:${opts.kind}:${opts.caller.username}`,
    organizations: [opts.kind === 'admin' ? ADMINS_GROUP : VIEWERS_GROUP],
    usage: 'client',
    notBefore: toCertTime(now),
    notAfter,
  });
  const address = addresses[0];
  const kubeconfig = buildKubeconfig({
    name: `${shoot.metadata.namespace ?? ''}--${shoot.metadata.name}-${asString(address.name) ?? 'external'}`,
    server: `https://${new URL(asString(address.url) ?? '').host}`,
    caPem: opts.access.clusterCaPem,
    credentials: { clientCertificatePem: cert.certPem, clientKeyPem: cert.keyPem },
  });
  return {
    kind: requestKind,
    apiVersion: `${GARDENER_AUTH_GROUP}/v1alpha1`,
    metadata: { name: shoot.metadata.name, namespace: shoot.metadata.namespace, creationTimestamp: null },
    spec: { expirationSeconds: granted },
    status: { kubeconfig: Buffer.from(kubeconfig, 'utf8').toString('base64'), expirationTimestamp: rfc3339(notAfter) },
  } as unknown as KubeObject;
}
