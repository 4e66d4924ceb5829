/**
 * Versioned schema of the SQL adapters (PGlite and PostgreSQL). Migrations only ever append; a
 * database whose version is newer than this code knows is refused, never altered.
 */
import { CopilotError } from '../../errors/copilot-error.js';
import { inTransaction, type SqlPool } from './pool.js';

export interface Migration {
  version: number;
  description: string;
  statements: (options: { vectorType: string }) => string[];
}

export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    description:
      'sessions, events, deployments, approvals, credentials, telemetry, audit, compliance, reports',
    statements: () => [
      `CREATE TABLE sessions (id text PRIMARY KEY, user_id text NOT NULL, title text NOT NULL, workflow text,
        created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL)`,
      'CREATE INDEX sessions_user ON sessions (user_id, updated_at DESC)',
      `CREATE TABLE turns (session_id text NOT NULL, seq integer NOT NULL, role text NOT NULL, content text NOT NULL,
        at timestamptz NOT NULL, PRIMARY KEY (session_id, seq))`,
      'CREATE TABLE sequence_counters (scope text PRIMARY KEY, value bigint NOT NULL)',
      `CREATE TABLE events (session_id text NOT NULL, seq bigint NOT NULL, type text NOT NULL, payload jsonb,
        at timestamptz NOT NULL, PRIMARY KEY (session_id, seq))`,
      'CREATE INDEX events_at ON events (at)',
      `CREATE TABLE deployments (id text PRIMARY KEY, user_id text NOT NULL, session_id text NOT NULL,
        status text NOT NULL, target text NOT NULL, region text NOT NULL, repo_url_hash text, plan_hash text,
        plan jsonb, result jsonb, url text, created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL)`,
      'CREATE INDEX deployments_user ON deployments (user_id, created_at DESC)',
      `CREATE TABLE journal (id bigserial PRIMARY KEY, deployment_id text NOT NULL, step_id text NOT NULL,
        status text NOT NULL, tool text NOT NULL, args jsonb, result jsonb, created jsonb NOT NULL, error text,
        at timestamptz NOT NULL)`,
      'CREATE INDEX journal_deployment ON journal (deployment_id, id)',
      `CREATE TABLE approvals (id text PRIMARY KEY, user_id text NOT NULL, session_id text NOT NULL,
        plan_hash text NOT NULL, decision text NOT NULL, channel text NOT NULL, reason text, at timestamptz NOT NULL)`,
      'CREATE INDEX approvals_plan ON approvals (plan_hash, at)',
      `CREATE TABLE credentials (user_id text NOT NULL, name text NOT NULL, kind text NOT NULL, envelope text NOT NULL,
        key_id text NOT NULL, masked jsonb NOT NULL, created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL,
        PRIMARY KEY (user_id, name))`,
      `CREATE TABLE telemetry (id text PRIMARY KEY, session_id text, correlation_id text, agent text NOT NULL,
        phase text NOT NULL, status text NOT NULL, latency_ms integer, error_code text, attributes jsonb,
        at timestamptz NOT NULL)`,
      'CREATE INDEX telemetry_session ON telemetry (session_id, at)',
      'CREATE INDEX telemetry_at ON telemetry (at)',
      `CREATE TABLE audit (id text PRIMARY KEY, user_id text NOT NULL, correlation_id text, at timestamptz NOT NULL,
        record jsonb NOT NULL)`,
      'CREATE INDEX audit_at ON audit (at)',
      `CREATE TABLE compliance (id text PRIMARY KEY, session_id text NOT NULL, plan_id text NOT NULL,
        agent text NOT NULL, decision text NOT NULL, reason_code text NOT NULL, reason text NOT NULL,
        at timestamptz NOT NULL)`,
      `CREATE TABLE reports (id text PRIMARY KEY, user_id text NOT NULL, session_id text NOT NULL, name text NOT NULL,
        markdown text NOT NULL, at timestamptz NOT NULL)`,
      'CREATE INDEX reports_session ON reports (session_id, at)',
    ],
  },
  {
    version: 2,
    description: 'vector memory',
    statements: ({ vectorType }) => [
      `CREATE TABLE vectors (id text PRIMARY KEY, text text NOT NULL, tags text[] NOT NULL,
        embedding ${vectorType} NOT NULL, dimensions integer NOT NULL, at timestamptz NOT NULL)`,
    ],
  },
  {
    version: 3,
    description: 'server accounts and browser logins',
    statements: () => [
      `CREATE TABLE users (id text PRIMARY KEY, name text NOT NULL UNIQUE, password_hash text,
        created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL)`,
      `CREATE TABLE logins (token_hash text PRIMARY KEY, user_id text NOT NULL, expires_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL)`,
      'CREATE INDEX logins_user ON logins (user_id)',
      'CREATE INDEX logins_expires ON logins (expires_at)',
    ],
  },
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS.at(-1)?.version ?? 0;

const VERSION_TABLE = 'aws_copilot_schema';

export async function currentSchemaVersion(pool: SqlPool): Promise<number> {
  const exists = await pool.query<{ present: boolean }>(
    `SELECT to_regclass('${VERSION_TABLE}') IS NOT NULL AS present`,
  );
  if (!exists.rows[0]?.present) return 0;
  const result = await pool.query<{ version: number }>(
    `SELECT max(version) AS version FROM ${VERSION_TABLE}`,
  );
  return Number(result.rows[0]?.version ?? 0);
}

/** Brings the schema up to date; refuses a database written by a newer aws-copilot. */
export async function migrate(
  pool: SqlPool,
  options: { vectorType: string; where: string },
): Promise<number> {
  await pool.query(
    `CREATE TABLE IF NOT EXISTS ${VERSION_TABLE} (version integer PRIMARY KEY, description text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now())`,
  );
  const current = await currentSchemaVersion(pool);
  if (current > LATEST_SCHEMA_VERSION) {
    throw new CopilotError(
      'store_incompatible',
      `the store at ${options.where} has schema version ${current}, but this aws-copilot only knows up to ${LATEST_SCHEMA_VERSION}: upgrade aws-copilot to open it (nothing was changed)`,
    );
  }
  for (const migration of MIGRATIONS.filter((candidate) => candidate.version > current)) {
    await inTransaction(pool, async (client) => {
      for (const statement of migration.statements(options)) await client.query(statement);
      await client.query(`INSERT INTO ${VERSION_TABLE} (version, description) VALUES ($1, $2)`, [
        migration.version,
        migration.description,
      ]);
    });
  }
  return LATEST_SCHEMA_VERSION;
}
