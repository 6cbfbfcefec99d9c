/**
 * The landscape simulator: a Gardener API server and one kube-apiserver per shoot, over HTTPS, for the
 * local profile and tests. It imports nothing from the broker; the broker reaches it only through the
 * kubeconfig it writes, exactly as it reaches a real landscape.
 */
export { startLandscape } from './landscape';
export type { Landscape, LandscapeOptions, RuntimeInfo } from './landscape';
export type { FaultConfig, FaultController, FaultTarget } from './faults';
export type { SimulatorClock } from './clock';
export { FAIL_CREATE_ANNOTATION, CONFIRM_DELETION_ANNOTATION } from './shoot-lifecycle';
