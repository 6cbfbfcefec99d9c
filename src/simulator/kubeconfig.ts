import { dump } from 'js-yaml';
import { base64 } from './pki';

export type KubeconfigCredentials = { token: string } | { clientCertificatePem: string; clientKeyPem: string };

export interface KubeconfigSpec {
  /** Used for the cluster, context and user entries. */
  name: string;
  server: string;
  caPem: string;
  credentials: KubeconfigCredentials;
  namespace?: string;
}

/** A kubeconfig as clientcmd writes it: CA and client credentials inline as base64 PEM. */
export function buildKubeconfig(spec: KubeconfigSpec): string {
  const user =
    'token' in spec.credentials
      ? { token: spec.credentials.token }
      : {
          'client-certificate-data': base64(spec.credentials.clientCertificatePem),
          'client-key-data': base64(spec.credentials.clientKeyPem),
        };
  return dump(
    {
      apiVersion: 'v1',
      kind: 'Config',
      'current-context': spec.name,
      clusters: [
        { name: spec.name, cluster: { 'certificate-authority-data': base64(spec.caPem), server: spec.server } },
      ],
      contexts: [
        {
          name: spec.name,
          context: { cluster: spec.name, user: spec.name, ...(spec.namespace ? { namespace: spec.namespace } : {}) },
        },
      ],
      users: [{ name: spec.name, user }],
      preferences: {},
    },
    { lineWidth: -1, noRefs: true },
  );
}
