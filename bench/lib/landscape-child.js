'use strict';
// The landscape simulator in its own process (started by a bench over IPC), so that the broker process
// holds only the broker, as in production where Gardener and the runtimes are elsewhere.
// Messages: { faults: FaultConfig | FaultConfig[] | null } → landscape.faults.setFaults / clear.

// @peculiar/x509 (via tsyringe) needs the reflect polyfill loaded first; the broker's entry point loads it through Nest.
require('reflect-metadata');
const path = require('node:path');
const { DIST } = require('./common');
const { startLandscape } = require(path.join(DIST, 'simulator'));

async function main() {
  const dataDir = process.argv[2];
  const shootCreateDelayMs = Number(process.argv[3] ?? 0);
  const landscape = await startLandscape({ dataDir, shootCreateDelayMs, shootDeleteDelayMs: 0 });
  const stop = () =>
    landscape
      .stop()
      .catch(() => undefined)
      .finally(() => process.exit(0));
  process.on('disconnect', stop);
  process.on('SIGTERM', stop);
  process.on('message', (msg) => {
    try {
      if (msg.faults === null) {
        landscape.faults.clear();
      } else if (msg.faults !== undefined) {
        landscape.faults.setFaults(msg.faults);
      }
      process.send({ id: msg.id, ok: true, runtimes: landscape.runtimes().length });
    } catch (err) {
      process.send({ id: msg.id, ok: false, error: err.message });
    }
  });
  process.send({ ready: true, kubeconfigPath: landscape.gardenerKubeconfigPath });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
