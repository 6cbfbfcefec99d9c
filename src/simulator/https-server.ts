import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, Server } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Faults } from './faults';
import { pathOf, sendStatusError } from './http';
import type { CertifiedKey } from './pki';
import { internalError, serviceUnavailable, StatusError } from './status';

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

export interface HttpsServerOptions {
  host: string;
  port?: number;
  serving: CertifiedKey;
  /** When set, clients may present certificates; the handler verifies them against this CA. */
  clientCaPem?: string;
  faults: Faults;
  faultTarget: 'gardener' | 'runtime';
  /** Paths faults never touch (the admin endpoint must stay reachable to switch faults off). */
  faultExempt?: (path: string) => boolean;
  handler: RequestHandler;
}

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * Sends a TCP RST where node allows it (the raw socket under TLS); otherwise just destroys the socket.
 * Either way the client sees its request fail without an answer, as with a crashed proxy. The TLS
 * socket is left to close with the raw one: destroying it as well, right after the reset, left a dead
 * entry in node's connection list that made server.close() throw.
 */
function resetConnection(socket: Socket): void {
  const raw = (socket as Socket & { _parent?: Socket | null })._parent ?? socket;
  try {
    raw.resetAndDestroy();
  } catch {
    socket.destroy();
  }
}

/** An HTTPS server with the concerns every simulated API server shares: faults, errors, keep-alive, shutdown. */
export async function startHttpsServer(opts: HttpsServerOptions): Promise<RunningServer> {
  const aborter = new AbortController();
  const server: Server = createServer(
    {
      cert: opts.serving.certPem,
      key: opts.serving.keyPem,
      // Asking for a certificate (and naming the CA, so Go clients pick theirs) but not requiring one:
      // bearer-token clients connect without. Verification happens per request against the injected clock.
      ...(opts.clientCaPem ? { requestCert: true, rejectUnauthorized: false, ca: [opts.clientCaPem] } : {}),
      // Long enough that clients measuring round trips keep reusing their connection.
      keepAliveTimeout: 30_000,
      headersTimeout: 35_000,
    },
    (req, res) => {
      void handle(req, res);
    },
  );

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const path = pathOf(req);
      const fault = opts.faultExempt?.(path) ? undefined : opts.faults.decide(opts.faultTarget, path);
      if (fault && fault.delayMs > 0) {
        await sleep(fault.delayMs, undefined, { signal: aborter.signal });
      }
      if (fault?.kind === 'reset') {
        resetConnection(req.socket);
        return;
      }
      if (fault?.kind === 'error') {
        throw fault.status === 503
          ? serviceUnavailable('the server is currently unable to handle the request (simulated fault)')
          : internalError('simulated fault');
      }
      await opts.handler(req, res);
    } catch (err) {
      if (aborter.signal.aborted || res.headersSent || res.destroyed) {
        return;
      }
      sendStatusError(res, err instanceof StatusError ? err : internalError((err as Error).message ?? String(err)));
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  // Every accepted socket, so close() can end even those node's HTTP layer does not track (a TLS
  // handshake in progress, a connection cut by a simulated reset): otherwise server.close() may never call back.
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  // A client that vanishes mid-handshake must not crash the process.
  server.on('tlsClientError', () => undefined);
  server.on('clientError', (_err, socket) => socket.destroy());
  const { port } = server.address() as AddressInfo;
  const hostInUrl = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  let closed: Promise<void> | undefined;
  return {
    url: `https://${hostInUrl}:${port}`,
    port,
    close() {
      closed ??= new Promise<void>((resolve) => {
        aborter.abort();
        server.close(() => resolve());
        server.closeAllConnections();
        for (const socket of sockets) {
          socket.destroy();
        }
      });
      return closed;
    },
  };
}
