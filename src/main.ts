import { startBroker } from './bootstrap';
import { ConfigError, loadConfig } from './config/load-config';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`kyma-broker: configuration error: ${err.message}`);
      process.exit(2);
    }
    throw err;
  }
  const broker = await startBroker(config);
  // Graceful shutdown: in-flight requests and engine steps finish; a second signal forces the exit.
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      process.exit(1);
    }
    stopping = true;
    const force = setTimeout(() => process.exit(1), config.server.shutdownGraceMs);
    force.unref();
    broker
      .close()
      .then(() => process.exit(0))
      .catch((err: unknown) => {
        console.error(`kyma-broker: error during ${signal} shutdown:`, err instanceof Error ? err.message : err);
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((err: unknown) => {
  console.error('kyma-broker: failed to start:', err instanceof Error ? err.message : err);
  process.exit(1);
});
