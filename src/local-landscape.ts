import { AppConfig } from './config/app-config';
import { startLandscape } from './simulator';

/**
 * Local profile only: when no GARDENER_KUBECONFIG is given, start the landscape simulator in-process
 * and point the Gardener adapter at the kubeconfig it writes to DATA_DIR. The broker then talks to it
 * over HTTPS exactly as it would to a real Gardener.
 */
export async function startLocalLandscape(config: AppConfig): Promise<{ stop: () => Promise<void> } | undefined> {
  if (!config.simulator.enabled || config.gardener.kubeconfigPath) {
    return undefined;
  }
  const landscape = await startLandscape({
    dataDir: config.dataDir,
    shootCreateDelayMs: config.simulator.shootCreateDelayMs,
    shootDeleteDelayMs: config.simulator.shootDeleteDelayMs,
  });
  if (!landscape.gardenerKubeconfigPath) {
    await landscape.stop();
    throw new Error('the landscape simulator did not write its Gardener kubeconfig');
  }
  config.gardener.kubeconfigPath = landscape.gardenerKubeconfigPath;
  return landscape;
}
