/** The SQL store: every repository, LangGraph's PostgresSaver and retention over one pool. */
import { PostgresSaver } from '@langchain/langgraph-checkpoint-postgres';
import type pg from 'pg';
import type { PurgeResult, Store } from '../ports.js';
import { SqlApprovalRepository, SqlDeploymentRepository } from './deployment-repositories.js';
import { currentSchemaVersion, migrate } from './migrations.js';
import type { SqlPool } from './pool.js';
import {
  SqlAuditRepository,
  SqlComplianceRepository,
  SqlCredentialRepository,
  SqlReportRepository,
  SqlTelemetryRepository,
} from './record-repositories.js';
import { SqlEventRepository, SqlSessionRepository } from './session-repositories.js';
import { SqlUserRepository } from './user-repository.js';
import { SqlVectorRepository } from './vector-repository.js';

export interface SqlStoreOptions {
  kind: 'pglite' | 'postgres';
  pool: SqlPool;
  /** Where the data lives, for messages (a folder or a redacted URL). */
  where: string;
  /** pgvector is available (CREATE EXTENSION vector succeeded). */
  pgvector: boolean;
  vectorDimensions: number;
  /** Extra cleanup after the pool is closed (lock files). */
  onClose?: () => Promise<void>;
}

async function deleteOlderThan(pool: SqlPool, table: string, column: string, before: Date): Promise<number> {
  const result = await pool.query(`DELETE FROM ${table} WHERE ${column} < $1`, [before.toISOString()]);
  return result.rowCount ?? 0;
}

export async function openSqlStore(options: SqlStoreOptions): Promise<Store> {
  const { pool } = options;
  await migrate(pool, { vectorType: options.pgvector ? 'vector' : 'real[]', where: options.where });
  // The pool is a structural match for what PostgresSaver uses of pg.Pool (query, connect, end).
  const checkpointer = new PostgresSaver(pool as unknown as pg.Pool, undefined, { schema: 'public' });
  await checkpointer.setup();

  return {
    kind: options.kind,
    sessions: new SqlSessionRepository(pool),
    events: new SqlEventRepository(pool),
    deployments: new SqlDeploymentRepository(pool),
    approvals: new SqlApprovalRepository(pool),
    credentials: new SqlCredentialRepository(pool),
    telemetry: new SqlTelemetryRepository(pool),
    audit: new SqlAuditRepository(pool),
    compliance: new SqlComplianceRepository(pool),
    reports: new SqlReportRepository(pool),
    vectors: new SqlVectorRepository(pool, options.vectorDimensions, options.pgvector),
    users: new SqlUserRepository(pool),
    checkpointer,
    purge: async (before: Date): Promise<PurgeResult> => {
      const finished = await pool.query<{ id: string }>(
        `SELECT id FROM deployments WHERE updated_at < $1
           AND status IN ('succeeded', 'failed', 'rolled-back', 'escalated')`,
        [before.toISOString()],
      );
      const ids = finished.rows.map((row) => row.id);
      if (ids.length > 0) {
        await pool.query('DELETE FROM journal WHERE deployment_id = ANY($1::text[])', [ids]);
        await pool.query('DELETE FROM deployments WHERE id = ANY($1::text[])', [ids]);
      }
      return {
        telemetry: await deleteOlderThan(pool, 'telemetry', 'at', before),
        audit: await deleteOlderThan(pool, 'audit', 'at', before),
        events: await deleteOlderThan(pool, 'events', 'at', before),
        deployments: ids.length,
        // By creation: rotating the master key rewrites a record but does not make it younger.
        sealedValues:
          (
            await pool.query("DELETE FROM credentials WHERE kind = 'sealed-value' AND created_at < $1", [
              before.toISOString(),
            ])
          ).rowCount ?? 0,
      };
    },
    schemaVersion: () => currentSchemaVersion(pool),
    close: async () => {
      await pool.end();
      await options.onClose?.();
    },
  };
}
