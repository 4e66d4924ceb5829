/**
 * The slice of node-postgres's Pool that the SQL store and LangGraph's PostgresSaver use, so one
 * SQL adapter runs on a PostgreSQL server (pg) and on embedded PGlite alike.
 */
export interface SqlResult<Row> {
  rows: Row[];
  rowCount?: number | null;
}

export interface SqlClient {
  // biome-ignore lint/suspicious/noExplicitAny: rows are typed by each query's caller.
  query<Row = any>(text: string, params?: unknown[]): Promise<SqlResult<Row>>;
  release(error?: Error | boolean): void;
}

export interface SqlPool {
  // biome-ignore lint/suspicious/noExplicitAny: rows are typed by each query's caller.
  query<Row = any>(text: string, params?: unknown[]): Promise<SqlResult<Row>>;
  /** A dedicated connection for a transaction; release it when done. */
  connect(): Promise<SqlClient>;
  end(): Promise<void>;
}

/** Runs `work` in a transaction on its own connection, rolling back when it throws. */
export async function inTransaction<T>(pool: SqlPool, work: (client: SqlClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
