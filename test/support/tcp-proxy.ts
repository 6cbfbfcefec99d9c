import { AddressInfo, createServer, Server, Socket, connect } from 'node:net';

/**
 * A loopback TCP proxy in front of a database, so a test can take the network path away and give it
 * back: `cut()` drops every open connection and every new one (clients see "connection terminated"
 * at once, as after a failover or a network partition with RSTs), `restore()` forwards again.
 */
export class TcpProxy {
  private readonly sockets = new Set<Socket>();
  private down = false;
  private accepted = 0;

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(targetHost: string, targetPort: number): Promise<TcpProxy> {
    const holder: { proxy?: TcpProxy } = {};
    const server = createServer((client) => holder.proxy?.accept(client, targetHost, targetPort));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    holder.proxy = new TcpProxy(server, (server.address() as AddressInfo).port);
    return holder.proxy;
  }

  /** The same URL with host and port replaced by the proxy's. */
  static async forUrl(url: string): Promise<{ proxy: TcpProxy; url: string }> {
    const target = new URL(url);
    const proxy = await TcpProxy.start(target.hostname, Number(target.port || 5432));
    const proxied = new URL(url);
    proxied.hostname = '127.0.0.1';
    proxied.port = String(proxy.port);
    return { proxy, url: proxied.toString() };
  }

  /** Connections accepted so far (to see that clients really came back after a cut). */
  get connectionsAccepted(): number {
    return this.accepted;
  }

  cut(): void {
    this.down = true;
    for (const socket of this.sockets) {
      socket.resetAndDestroy();
    }
    this.sockets.clear();
  }

  restore(): void {
    this.down = false;
  }

  async stop(): Promise<void> {
    this.cut();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private accept(client: Socket, host: string, port: number): void {
    if (this.down) {
      client.resetAndDestroy();
      return;
    }
    this.accepted++;
    const upstream = connect(port, host);
    const pair = [client, upstream];
    for (const socket of pair) {
      this.sockets.add(socket);
      socket.setNoDelay(true);
      socket.on('error', () => pair.forEach((s) => s.destroy()));
      socket.on('close', () => {
        this.sockets.delete(socket);
        pair.forEach((s) => s.destroy());
      });
    }
    client.pipe(upstream);
    upstream.pipe(client);
  }
}
