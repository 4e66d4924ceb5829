/** Sessions, their transcripts and their protocol events, in SQL. */
import type { EventRecord, EventRepository, SessionRecord, SessionRepository, TurnRecord } from '../ports.js';
import type { SqlPool } from './pool.js';
import { iso, json, nextSequence, optional } from './rows.js';

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
    const seq = await nextSequence(this.pool, `turn:${turn.sessionId}`);
    const result = await this.pool.query<{ at: Date | string }>(
      'INSERT INTO turns (session_id, seq, role, content, at) VALUES ($1, $2, $3, $4, now()) RETURNING at',
      [turn.sessionId, seq, turn.role, turn.content],
    );
    await this.pool.query('UPDATE sessions SET updated_at = now() WHERE id = $1', [turn.sessionId]);
    return { ...turn, seq, at: iso(result.rows[0]?.at) };
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
  constructor(private readonly pool: SqlPool) {}

  async append(sessionId: string, type: string, payload: unknown): Promise<EventRecord> {
    const seq = await nextSequence(this.pool, `event:${sessionId}`);
    const result = await this.pool.query<{ at: Date | string }>(
      'INSERT INTO events (session_id, seq, type, payload, at) VALUES ($1, $2, $3, $4, now()) RETURNING at',
      [sessionId, seq, type, json(payload)],
    );
    return { sessionId, seq, type, payload, at: iso(result.rows[0]?.at) };
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
