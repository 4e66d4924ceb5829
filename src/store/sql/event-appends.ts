/**
 * Group commit for protocol events. Every event is numbered and stored before it is delivered, and
 * events are the most frequent write there is; when many sessions emit at once (a hundred people
 * sending a message in the same instant), one statement per event queues them behind each other on
 * the embedded store's single connection. So appends that arrive while a write is under way wait
 * and go together in the next statement: under no load that is one event per statement as before,
 * under load one statement carries the whole queue. Order within a session is the order of append.
 */
import type { EventRecord } from '../ports.js';
import type { SqlPool } from './pool.js';
import { iso } from './rows.js';

interface PendingAppend {
  sessionId: string;
  type: string;
  payload: unknown;
  resolve(record: EventRecord): void;
  reject(error: unknown): void;
}

/** Numbers each session's new events after its counter and inserts them, in one statement. */
const APPEND_BATCH = `WITH input AS (
    SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(ord int, session_id text, type text, payload jsonb)
  ), counts AS (
    SELECT 'event:' || session_id AS scope, session_id, count(*) AS n FROM input GROUP BY session_id
  ), counter AS (
    INSERT INTO sequence_counters (scope, value) SELECT scope, n FROM counts
    ON CONFLICT (scope) DO UPDATE SET value = sequence_counters.value + EXCLUDED.value
    RETURNING scope, value
  )
  INSERT INTO events (session_id, seq, type, payload, at)
  SELECT input.session_id,
         counter.value - counts.n + row_number() OVER (PARTITION BY input.session_id ORDER BY input.ord),
         input.type, input.payload, now()
  FROM input JOIN counts USING (session_id) JOIN counter USING (scope)
  RETURNING session_id, seq, at`;

/** At most this many events in one statement (its parameter stays a modest JSON document). */
const MAX_BATCH = 500;

export class EventAppendBatcher {
  private queue: PendingAppend[] = [];
  private writing = false;

  constructor(private readonly pool: SqlPool) {}

  append(sessionId: string, type: string, payload: unknown): Promise<EventRecord> {
    return new Promise((resolve, reject) => {
      this.queue.push({ sessionId, type, payload, resolve, reject });
      if (!this.writing) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.writing = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, MAX_BATCH);
        await this.write(batch);
      }
    } finally {
      this.writing = false;
    }
  }

  private async write(batch: PendingAppend[]): Promise<void> {
    try {
      const rows = batch.map((item, ord) => ({
        ord,
        session_id: item.sessionId,
        type: item.type,
        payload: item.payload === undefined ? null : item.payload,
      }));
      const result = await this.pool.query<{ session_id: string; seq: string | number; at: Date | string }>(
        APPEND_BATCH,
        [JSON.stringify(rows)],
      );
      // Within a session the numbers follow the order of append: hand them out in that order.
      const numbers = new Map<string, Array<{ seq: number; at: string }>>();
      for (const row of result.rows) {
        const list = numbers.get(row.session_id) ?? [];
        list.push({ seq: Number(row.seq), at: iso(row.at) });
        numbers.set(row.session_id, list);
      }
      for (const list of numbers.values()) list.sort((a, b) => a.seq - b.seq);
      for (const item of batch) {
        const next = numbers.get(item.sessionId)?.shift();
        if (!next) throw new Error(`event append of session ${item.sessionId} returned no number`);
        item.resolve({
          sessionId: item.sessionId,
          seq: next.seq,
          type: item.type,
          payload: item.payload,
          at: next.at,
        });
      }
    } catch (error) {
      for (const item of batch) item.reject(error);
    }
  }
}
