/** Collection names and document helpers shared by the MongoDB repositories. */
import { type Collection, type Db, MongoServerError } from 'mongodb';
import { CopilotError } from '../../errors/copilot-error.js';

export const COLLECTIONS = {
  schema: 'schema',
  counters: 'counters',
  sessions: 'sessions',
  turns: 'turns',
  events: 'events',
  deployments: 'deployments',
  journal: 'journal',
  approvals: 'approvals',
  credentials: 'credentials',
  telemetry: 'telemetry',
  audit: 'audit',
  compliance: 'compliance',
  reports: 'reports',
  vectors: 'vectors',
  users: 'users',
  logins: 'logins',
} as const;

export function iso(value: Date | string): string {
  return value instanceof Date ? value.toISOString() : new Date(value).toISOString();
}

/** A caller's ISO time as a BSON date; an unreadable one is refused, as a timestamptz column would. */
export function date(value: string): Date {
  const parsed = new Date(value);
  if (Number.isNaN(parsed.getTime())) throw new CopilotError('invalid_input', `not a valid time: ${value}`);
  return parsed;
}

/**
 * Free-form values (plans, payloads, tool arguments) are stored as their JSON form, exactly what
 * the SQL adapters keep in jsonb: dates become strings and undefined members disappear alike.
 */
export function json(value: unknown): unknown {
  return value === undefined ? null : JSON.parse(JSON.stringify(value));
}

export function isDuplicateKey(error: unknown): boolean {
  return error instanceof MongoServerError && error.code === 11000;
}

interface CounterDocument {
  _id: string;
  value: number;
}

/**
 * Atomically takes the next number of a named sequence (per session turns, events, journal): an
 * $inc on one counter document, so concurrent callers never share or skip a number.
 */
export async function nextSequence(db: Db, scope: string): Promise<number> {
  const counters: Collection<CounterDocument> = db.collection(COLLECTIONS.counters);
  for (let attempt = 0; ; attempt += 1) {
    try {
      const counter = await counters.findOneAndUpdate(
        { _id: scope },
        { $inc: { value: 1 } },
        { upsert: true, returnDocument: 'after' },
      );
      return Number(counter?.value);
    } catch (error) {
      // Two first upserts of one scope can race to insert; the loser retries as an update.
      if (!isDuplicateKey(error) || attempt >= 3) throw error;
    }
  }
}
