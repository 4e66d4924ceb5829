/** Credentials (envelopes only), telemetry, audit, compliance decisions and reports, in SQL. */
import type { AuditRecord } from '../../tools/audit.js';
import type {
  AuditRepository,
  ComplianceDecision,
  ComplianceRepository,
  CredentialRepository,
  ReportRecord,
  ReportRepository,
  StoredCredential,
  TelemetryEvent,
  TelemetryRepository,
} from '../ports.js';
import type { SqlPool } from './pool.js';
import { iso, json } from './rows.js';

interface CredentialRow {
  user_id: string;
  name: string;
  kind: StoredCredential['kind'];
  envelope: string;
  key_id: string;
  masked: Record<string, string>;
  created_at: Date;
  updated_at: Date;
}

function toCredential(row: CredentialRow): StoredCredential {
  return {
    userId: row.user_id,
    name: row.name,
    kind: row.kind,
    envelope: row.envelope,
    keyId: row.key_id,
    masked: row.masked,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

export class SqlCredentialRepository implements CredentialRepository {
  constructor(private readonly pool: SqlPool) {}

  async put(credential: Omit<StoredCredential, 'createdAt' | 'updatedAt'>): Promise<void> {
    await this.pool.query(
      `INSERT INTO credentials (user_id, name, kind, envelope, key_id, masked, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, now(), now())
       ON CONFLICT (user_id, name) DO UPDATE SET kind = EXCLUDED.kind, envelope = EXCLUDED.envelope,
         key_id = EXCLUDED.key_id, masked = EXCLUDED.masked, updated_at = now()`,
      [
        credential.userId,
        credential.name,
        credential.kind,
        credential.envelope,
        credential.keyId,
        json(credential.masked),
      ],
    );
  }

  async get(userId: string, name: string): Promise<StoredCredential | undefined> {
    const result = await this.pool.query<CredentialRow>(
      'SELECT * FROM credentials WHERE user_id = $1 AND name = $2',
      [userId, name],
    );
    return result.rows[0] ? toCredential(result.rows[0]) : undefined;
  }

  async list(userId: string): Promise<StoredCredential[]> {
    const result = await this.pool.query<CredentialRow>(
      'SELECT * FROM credentials WHERE user_id = $1 ORDER BY name',
      [userId],
    );
    return result.rows.map(toCredential);
  }

  async all(): Promise<StoredCredential[]> {
    const result = await this.pool.query<CredentialRow>('SELECT * FROM credentials ORDER BY user_id, name');
    return result.rows.map(toCredential);
  }

  async remove(userId: string, name: string): Promise<boolean> {
    const result = await this.pool.query('DELETE FROM credentials WHERE user_id = $1 AND name = $2', [
      userId,
      name,
    ]);
    return (result.rowCount ?? 0) > 0;
  }
}

export class SqlTelemetryRepository implements TelemetryRepository {
  constructor(private readonly pool: SqlPool) {}

  async append(event: TelemetryEvent): Promise<void> {
    await this.pool.query(
      `INSERT INTO telemetry (id, session_id, correlation_id, agent, phase, status, latency_ms, error_code, attributes, at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        event.id,
        event.sessionId ?? null,
        event.correlationId ?? null,
        event.agent,
        event.phase,
        event.status,
        event.latencyMs ?? null,
        event.errorCode ?? null,
        json(event.attributes),
        event.at,
      ],
    );
  }

  async list(filter: {
    sessionId?: string;
    correlationId?: string;
    limit?: number;
  }): Promise<TelemetryEvent[]> {
    const result = await this.pool.query<{
      id: string;
      session_id: string | null;
      correlation_id: string | null;
      agent: string;
      phase: string;
      status: string;
      latency_ms: number | null;
      error_code: string | null;
      attributes: Record<string, unknown> | null;
      at: Date;
    }>(
      `SELECT * FROM telemetry WHERE ($1::text IS NULL OR session_id = $1) AND ($2::text IS NULL OR correlation_id = $2)
       ORDER BY at, id LIMIT $3`,
      [filter.sessionId ?? null, filter.correlationId ?? null, filter.limit ?? 10_000],
    );
    return result.rows.map((row) => ({
      id: row.id,
      ...(row.session_id ? { sessionId: row.session_id } : {}),
      ...(row.correlation_id ? { correlationId: row.correlation_id } : {}),
      agent: row.agent,
      phase: row.phase,
      status: row.status,
      ...(row.latency_ms !== null ? { latencyMs: row.latency_ms } : {}),
      errorCode: row.error_code,
      ...(row.attributes ? { attributes: row.attributes } : {}),
      at: iso(row.at),
    }));
  }
}

export class SqlAuditRepository implements AuditRepository {
  constructor(private readonly pool: SqlPool) {}

  async write(record: AuditRecord): Promise<void> {
    await this.pool.query(
      'INSERT INTO audit (id, user_id, correlation_id, at, record) VALUES ($1, $2, $3, $4, $5)',
      [record.id, record.userId, record.correlationId ?? null, record.at, json(record)],
    );
  }

  async list(filter: { userId?: string; correlationId?: string; limit?: number }): Promise<AuditRecord[]> {
    const result = await this.pool.query<{ record: AuditRecord }>(
      `SELECT record FROM audit WHERE ($1::text IS NULL OR user_id = $1) AND ($2::text IS NULL OR correlation_id = $2)
       ORDER BY at, id LIMIT $3`,
      [filter.userId ?? null, filter.correlationId ?? null, filter.limit ?? 10_000],
    );
    return result.rows.map((row) => row.record);
  }
}

export class SqlComplianceRepository implements ComplianceRepository {
  constructor(private readonly pool: SqlPool) {}

  async record(decision: ComplianceDecision): Promise<void> {
    await this.pool.query(
      `INSERT INTO compliance (id, session_id, plan_id, agent, decision, reason_code, reason, at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        decision.id,
        decision.sessionId,
        decision.planId,
        decision.agent,
        decision.decision,
        decision.reasonCode,
        decision.reason,
        decision.at,
      ],
    );
  }

  async forPlan(planId: string): Promise<ComplianceDecision[]> {
    const result = await this.pool.query<{
      id: string;
      session_id: string;
      plan_id: string;
      agent: string;
      decision: ComplianceDecision['decision'];
      reason_code: string;
      reason: string;
      at: Date;
    }>('SELECT * FROM compliance WHERE plan_id = $1 ORDER BY at, id', [planId]);
    return result.rows.map((row) => ({
      id: row.id,
      sessionId: row.session_id,
      planId: row.plan_id,
      agent: row.agent,
      decision: row.decision,
      reasonCode: row.reason_code,
      reason: row.reason,
      at: iso(row.at),
    }));
  }
}

export class SqlReportRepository implements ReportRepository {
  constructor(private readonly pool: SqlPool) {}

  async save(report: ReportRecord): Promise<void> {
    await this.pool.query(
      `INSERT INTO reports (id, user_id, session_id, name, markdown, at) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (id) DO UPDATE SET markdown = EXCLUDED.markdown, at = EXCLUDED.at`,
      [report.id, report.userId, report.sessionId, report.name, report.markdown, report.at],
    );
  }

  async get(userId: string, id: string): Promise<ReportRecord | undefined> {
    const result = await this.pool.query<ReportRow>('SELECT * FROM reports WHERE id = $1 AND user_id = $2', [
      id,
      userId,
    ]);
    return result.rows[0] ? toReport(result.rows[0]) : undefined;
  }

  async listForSession(userId: string, sessionId: string): Promise<ReportRecord[]> {
    const result = await this.pool.query<ReportRow>(
      'SELECT * FROM reports WHERE session_id = $1 AND user_id = $2 ORDER BY at, id',
      [sessionId, userId],
    );
    return result.rows.map(toReport);
  }
}

interface ReportRow {
  id: string;
  user_id: string;
  session_id: string;
  name: string;
  markdown: string;
  at: Date;
}

function toReport(row: ReportRow): ReportRecord {
  return {
    id: row.id,
    userId: row.user_id,
    sessionId: row.session_id,
    name: row.name,
    markdown: row.markdown,
    at: iso(row.at),
  };
}
