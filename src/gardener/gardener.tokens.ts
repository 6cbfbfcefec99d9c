/** The Gardener kubeconfig YAML the broker authenticates with (file in production, the simulator's in local). */
export const GARDENER_KUBECONFIG = Symbol('GARDENER_KUBECONFIG');
