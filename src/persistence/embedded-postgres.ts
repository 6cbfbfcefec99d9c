import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { PgliteSessionQueue } from './pglite-session-queue';

/**
 * The local profile's database: PGlite (Postgres compiled to WASM) persisted in DATA_DIR and served on a
 * loopback socket, so TypeORM's ordinary `postgres` driver and the same migrations serve both profiles.
 * The socket server multiplexes connections onto PGlite's single backend; PgliteSessionQueue keeps each
 * exchange and each transaction together, so invariants hold as on a server (transactions run one at a time).
 */
export class EmbeddedPostgres {
  private constructor(
    private readonly db: PGlite,
    private readonly server: PGLiteSocketServer,
    readonly url: string,
  ) {}

  static async start(dataDir: string, maxConnections = 20): Promise<EmbeddedPostgres> {
    const dir = join(dataDir, 'pglite');
    mkdirSync(dir, { recursive: true });
    const db = await PGlite.create({ dataDir: dir });
    const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections });
    // Connections get their queue from the server when they attach, so replacing it before start() suffices.
    (server as unknown as { queryQueue: PgliteSessionQueue }).queryQueue = new PgliteSessionQueue(db);
    await server.start();
    const conn = server.getServerConn(); // "127.0.0.1:PORT"
    return new EmbeddedPostgres(db, server, `postgres://postgres@${conn}/postgres`);
  }

  async stop(): Promise<void> {
    await this.server.stop();
    await this.db.close();
  }
}
