/** Sessions, their transcripts and their protocol events, in SQL. */
import type { EventRecord, EventRepository, SessionRecord, SessionRepository, TurnRecord } from '../ports.js';
import { EventAppendBatcher } from './event-appends.js';
import type { SqlPool } from './pool.js';
import { iso, optional } from './rows.js';

interface SessionRow {
  id: string;
  user_id: string;
  title: string;
  workflow: string | null;
  created_at: Date | string;
  updated_at: Date | string;
}

function toSession(row: SessionRow): SessionRecord {
  const workflow = optional(row.workflow) as SessionRecord['workflow'];
  return {
    id: row.id,
    userId: row.user_id,
    title: row.title,
    ...(workflow ? { workflow } : {}),
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

export class SqlSessionRepository implements SessionRepository {
  constructor(private readonly pool: SqlPool) {}

  async create(session: { id: string; userId: string; title: string }): Promise<SessionRecord> {
    const result = await this.pool.query<SessionRow>(
      `INSERT INTO sessions (id, user_id, title, created_at, updated_at) VALUES ($1, $2, $3, now(), now()) RETURNING *`,
      [session.id, session.userId, session.title],
    );
    return toSession(result.rows[0] as SessionRow);
  }

  async get(userId: string, id: string): Promise<SessionRecord | undefined> {
    const result = await this.pool.query<SessionRow>(
      'SELECT * FROM sessions WHERE id = $1 AND user_id = $2',
      [id, userId],
    );
    return result.rows[0] ? toSession(result.rows[0]) : undefined;
  }

  async list(userId: string, limit = 100): Promise<SessionRecord[]> {
    const result = await this.pool.query<SessionRow>(
      'SELECT * FROM sessions WHERE user_id = $1 ORDER BY updated_at DESC, id LIMIT $2',
      [userId, limit],
    );
    return result.rows.map(toSession);
  }

  async setWorkflow(
    userId: string,
    id: string,
    workflow: NonNullable<SessionRecord['workflow']>,
  ): Promise<void> {
    await this.pool.query(
      'UPDATE sessions SET workflow = $3, updated_at = now() WHERE id = $1 AND user_id = $2',
      [id, userId, workflow],
    );
  }

  async appendTurn(userId: string, turn: Omit<TurnRecord, 'seq' | 'at'>): Promise<TurnRecord> {
    if (!(await this.get(userId, turn.sessionId))) throw new Error(`session ${turn.sessionId} not found`);
    // Number, row and the session's updated_at in one statement, as for events.
    const result = await this.pool.query<{ seq: string | number; at: Date | string }>(
      `WITH counter AS (
         INSERT INTO sequence_counters (scope, value) VALUES ($1, 1)
         ON CONFLICT (scope) DO UPDATE SET value = sequence_counters.value + 1 RETURNING value
       ), touched AS (
         UPDATE sessions SET updated_at = now() WHERE id = $2
       )
       INSERT INTO turns (session_id, seq, role, content, at)
       SELECT $2::text, counter.value, $3::text, $4::text, now() FROM counter RETURNING seq, at`,
      [`turn:${turn.sessionId}`, turn.sessionId, turn.role, turn.content],
    );
    const row = result.rows[0];
    return { ...turn, seq: Number(row?.seq), at: iso(row?.at) };
  }

  async recentTurns(userId: string, sessionId: string, limit = 50): Promise<TurnRecord[]> {
    if (!(await this.get(userId, sessionId))) return [];
    const result = await this.pool.query<{
      session_id: string;
      seq: number;
      role: TurnRecord['role'];
      content: string;
      at: Date;
    }>(
      'SELECT * FROM (SELECT * FROM turns WHERE session_id = $1 ORDER BY seq DESC LIMIT $2) recent ORDER BY seq',
      [sessionId, limit],
    );
    return result.rows.map((row) => ({
      sessionId: row.session_id,
      seq: Number(row.seq),
      role: row.role,
      content: row.content,
      at: iso(row.at),
    }));
  }
}

export class SqlEventRepository implements EventRepository {
  private readonly appends: EventAppendBatcher;

  constructor(private readonly pool: SqlPool) {
    this.appends = new EventAppendBatcher(pool);
  }

  append(sessionId: string, type: string, payload: unknown): Promise<EventRecord> {
    return this.appends.append(sessionId, type, payload);
  }

  async listAfter(sessionId: string, afterSeq: number, limit = 10_000): Promise<EventRecord[]> {
    const result = await this.pool.query<{
      session_id: string;
      seq: string | number;
      type: string;
      payload: unknown;
      at: Date;
    }>('SELECT * FROM events WHERE session_id = $1 AND seq > $2 ORDER BY seq LIMIT $3', [
      sessionId,
      afterSeq,
      limit,
    ]);
    return result.rows.map((row) => ({
      sessionId: row.session_id,
      seq: Number(row.seq),
      type: row.type,
      payload: row.payload,
      at: iso(row.at),
    }));
  }
}
