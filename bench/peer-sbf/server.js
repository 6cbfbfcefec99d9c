'use strict';
// Benchmark peer: a minimal OSB broker built with SAP's Service Broker Framework (@sap/sbf), serving a
// given catalog, accepting provisions asynchronously and answering last_operation and bind from memory.
// Started by bench/peer-sbf.js only, listening on 127.0.0.1 (its express app is mounted on our own
// server, SBF's documented middleware use, so that it never listens on other interfaces).
// argv[2]: catalog JSON file. Reports { port } over IPC when listening.

const http = require('node:http');
const Broker = require('@sap/sbf');

const USER = 'bench-broker';
const PASSWORD = 'bench-broker-password-0123456789';

const operations = new Map();
const broker = new Broker({
  catalog: process.argv[2],
  brokerCredentials: { [USER]: PASSWORD },
  autoCredentials: false, // no XSUAA/IAS credentials provider here: onBind provides the credentials
  enableAuditLog: false, // no audit log service here
  secureOutgoingConnections: false,
  hooks: {
    onProvision: (params, callback) => {
      const operation = `provision-${params.instance_id}`;
      operations.set(params.instance_id, { operation, state: 'succeeded' });
      callback(null, { async: true, operation });
    },
    onLastOperation: (params, callback) => {
      const op = operations.get(params.instance_id);
      if (!op) {
        const error = new Error('instance not found');
        error.statusCode = 410;
        callback(error);
        return;
      }
      callback(null, { state: op.state, description: 'succeeded' });
    },
    onDeprovision: (params, callback) => {
      operations.delete(params.instance_id);
      callback(null, {});
    },
    onBind: (params, callback) => callback(null, { credentials: { kubeconfig: 'apiVersion: v1\nkind: Config\n' } }),
    onUnbind: (params, callback) => callback(null, {}),
  },
});

const server = http.createServer(broker.app);
server.keepAliveTimeout = 5000;
server.listen(0, '127.0.0.1', () => process.send?.({ port: server.address().port, user: USER, password: PASSWORD }));
process.on('disconnect', () => process.exit(0));
process.on('SIGTERM', () => process.exit(0));
