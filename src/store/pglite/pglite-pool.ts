/**
 * PGlite behind the pool interface. PGlite is one connection, so the pool hands it to one holder
 * at a time: a transaction on a "client" is never interleaved with another caller's statements.
 */
import type { PGlite } from '@electric-sql/pglite';
import type { SqlClient, SqlPool, SqlResult } from '../sql/pool.js';

class Mutex {
  private tail: Promise<void> = Promise.resolve();

  /** Resolves with a release function once every earlier holder has released. */
  lock(): Promise<() => void> {
    let release: () => void = () => undefined;
    const next = new Promise<void>((resolve) => {
      release = resolve;
    });
    const ready = this.tail.then(() => release);
    this.tail = this.tail.then(() => next);
    return ready;
  }
}

export class PGlitePool implements SqlPool {
  private readonly mutex = new Mutex();

  constructor(private readonly database: PGlite) {}

  async query<Row>(text: string, params: unknown[] = []): Promise<SqlResult<Row>> {
    const release = await this.mutex.lock();
    try {
      return await this.run<Row>(text, params);
    } finally {
      release();
    }
  }

  async connect(): Promise<SqlClient> {
    const release = await this.mutex.lock();
    let released = false;
    return {
      query: <Row>(text: string, params: unknown[] = []) => this.run<Row>(text, params),
      release: () => {
        if (!released) {
          released = true;
          release();
        }
      },
    };
  }

  async end(): Promise<void> {
    const release = await this.mutex.lock();
    try {
      await this.database.close();
    } finally {
      release();
    }
  }

  private async run<Row>(text: string, params: unknown[]): Promise<SqlResult<Row>> {
    // PGlite runs a statement synchronously inside a promise, so a queue of them would run back
    // to back without the event loop ever turning: sockets would go unread (a new message's first
    // event waiting behind other sessions' writes) until the queue ran dry. One turn per statement.
    await new Promise<void>((resolve) => setImmediate(resolve));
    const result = await this.database.query<Row>(text, params);
    return { rows: result.rows, rowCount: result.affectedRows ?? result.rows.length };
  }
}
