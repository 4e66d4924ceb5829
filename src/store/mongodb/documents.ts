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
 *
 * The counter is created by a plain insert, not by an upsert on the $inc: concurrent upserts of a
 * new scope can be answered with no document by some MongoDB-wire servers (SecantusDB does) even
 * though the increment was applied, which lost the number. An $inc on an existing document always
 * returns it, and a duplicate insert only means another caller created it first.
 */
export async function nextSequence(db: Db, scope: string): Promise<number> {
  const counters: Collection<CounterDocument> = db.collection(COLLECTIONS.counters);
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const counter = await counters.findOneAndUpdate(
      { _id: scope },
      { $inc: { value: 1 } },
      { returnDocument: 'after' },
    );
    if (counter) return Number(counter.value);
    try {
      await counters.insertOne({ _id: scope, value: 0 });
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
  }
  throw new Error(`the sequence counter "${scope}" could not be created or incremented`);
}
