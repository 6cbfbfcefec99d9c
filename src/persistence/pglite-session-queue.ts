import type { PGlite } from '@electric-sql/pglite';

interface PendingMessage {
  handlerId: number;
  message: Uint8Array;
  onData: (data: Uint8Array) => void;
  resolve: (bytes: number) => void;
  reject: (err: Error) => void;
}

const SYNC = 0x53; // 'S': ends an extended-protocol exchange
const SIMPLE_QUERY = 0x51; // 'Q'
const TERMINATE = 0x58; // 'X'

/**
 * Decides which socket connection may talk to the single PGlite session next.
 *
 * PGlite is one Postgres backend; pglite-socket multiplexes many client connections onto it message
 * by message and keeps a connection "owning" the backend only while a transaction is open. That is not
 * enough: node-postgres sends Parse/Bind/Execute/Sync as separate messages, and another connection's
 * Parse between them replaces the unnamed statement, so concurrent requests got each other's results.
 * Here a connection owns the backend from its first message until an exchange ends (Sync, a simple
 * Query, Terminate or the startup message) with no transaction open, which is the unit a real server
 * keeps apart. Transactions therefore run one at a time, which also makes count-then-insert invariants
 * hold even though advisory locks cannot block within one backend.
 *
 * It replaces pglite-socket's own queue (same four methods, pinned version 0.2.17).
 */
export class PgliteSessionQueue {
  private readonly pending: PendingMessage[] = [];
  private owner: number | null = null;
  private running = false;

  constructor(private readonly db: PGlite) {}

  enqueue(handlerId: number, message: Uint8Array, onData: (data: Uint8Array) => void): Promise<number> {
    return new Promise((resolve, reject) => {
      this.pending.push({ handlerId, message, onData, resolve, reject });
      void this.drain();
    });
  }

  getQueueLength(): number {
    return this.pending.length;
  }

  clearQueueForHandler(handlerId: number): void {
    for (let i = this.pending.length - 1; i >= 0; i--) {
      if (this.pending[i].handlerId === handlerId) {
        this.pending.splice(i, 1)[0].reject(new Error('connection closed'));
      }
    }
  }

  /** A connection that goes away mid-exchange must not keep the backend (or its transaction). */
  async clearTransactionIfNeeded(handlerId: number): Promise<void> {
    if (this.owner !== handlerId) {
      return;
    }
    if (this.db.isInTransaction()) {
      await this.db.exec('ROLLBACK').catch(() => undefined);
    }
    this.owner = null;
    void this.drain();
  }

  private next(): PendingMessage | undefined {
    const index = this.owner === null ? 0 : this.pending.findIndex((m) => m.handlerId === this.owner);
    return index < 0 || this.pending.length === 0 ? undefined : this.pending.splice(index, 1)[0];
  }

  private async drain(): Promise<void> {
    if (this.running) {
      return;
    }
    this.running = true;
    try {
      for (let item = this.next(); item; item = this.next()) {
        let bytes = 0;
        try {
          await this.db.runExclusive(() =>
            this.db.execProtocolRawStream(item.message, {
              onRawData: (data) => {
                bytes += data.length;
                item.onData(data);
              },
            }),
          );
        } catch (err) {
          this.owner = null;
          item.reject(err instanceof Error ? err : new Error(String(err)));
          continue;
        }
        this.owner = endsExchange(item.message) && !this.db.isInTransaction() ? null : item.handlerId;
        item.resolve(bytes);
      }
    } finally {
      this.running = false;
    }
  }
}

function endsExchange(message: Uint8Array): boolean {
  const type = message[0];
  // The startup message has no type byte: it begins with its length, whose first byte is 0.
  return type === SYNC || type === SIMPLE_QUERY || type === TERMINATE || type === 0;
}
