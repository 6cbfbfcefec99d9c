import * as yaml from 'js-yaml';

export interface TokenKubeconfigInput {
  name: string;
  server: string;
  /** base64 PEM of the cluster CA, as in kubeconfigs. */
  caData: string;
  token: string;
}

/**
 * A kubeconfig with one cluster, context and user, all named after the runtime (as KEB names them),
 * whose user authenticates with a bearer token. Works with kubectl and client libraries as is.
 */
export function buildTokenKubeconfig(input: TokenKubeconfigInput): string {
  const doc = {
    apiVersion: 'v1',
    kind: 'Config',
    'current-context': input.name,
    clusters: [{ name: input.name, cluster: { 'certificate-authority-data': input.caData, server: input.server } }],
    contexts: [{ name: input.name, context: { cluster: input.name, user: input.name } }],
    users: [{ name: input.name, user: { token: input.token } }],
  };
  return yaml.dump(doc, { lineWidth: -1, noRefs: true });
}
