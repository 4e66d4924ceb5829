/** A shared PostgreSQL server (DATABASE_URL): the team store. */
import pg from 'pg';
import { CopilotError } from '../../errors/copilot-error.js';
import { redactor } from '../../guardrails/redaction.js';
import type { Store } from '../ports.js';
import type { SqlPool } from '../sql/pool.js';
import { openSqlStore } from '../sql/sql-store.js';

export interface PostgresStoreOptions {
  connectionString: string;
  vectorDimensions: number;
  maxConnections?: number;
}

async function hasPgvector(pool: pg.Pool): Promise<boolean> {
  try {
    await pool.query('CREATE EXTENSION IF NOT EXISTS vector');
    return true;
  } catch {
    // Not installed on this server (or no right to create it): fall back to real[] columns.
    return false;
  }
}

export async function openPostgresStore(options: PostgresStoreOptions): Promise<Store> {
  const where = redactor.text(options.connectionString);
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.maxConnections ?? 10,
    connectionTimeoutMillis: 10_000,
  });
  // Idle-client errors (server restarts) must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  try {
    await pool.query('SELECT 1');
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw new CopilotError(
      'store_unavailable',
      `cannot reach PostgreSQL at ${where}: ${(error as Error).message}; check DATABASE_URL and that the server is running`,
      { cause: error, retryable: true },
    );
  }
  const pgvector = await hasPgvector(pool);
  return openSqlStore({
    kind: 'postgres',
    pool: pool as unknown as SqlPool,
    where,
    pgvector,
    vectorDimensions: options.vectorDimensions,
  });
}
