/** Row-to-record helpers shared by the SQL repositories. */
import type { SqlPool } from './pool.js';

export function iso(value: unknown): string {
  return value instanceof Date ? value.toISOString() : new Date(String(value)).toISOString();
}

/** JSON columns come back parsed from both drivers; undefined is stored as SQL null. */
export function json(value: unknown): string | null {
  return value === undefined ? null : JSON.stringify(value);
}

export function optional<T>(value: T | null | undefined): T | undefined {
  return value === null ? undefined : value;
}

/** Atomically takes the next number of a named sequence (per session turns, events...). */
export async function nextSequence(pool: Pick<SqlPool, 'query'>, scope: string): Promise<number> {
  const result = await pool.query<{ value: string | number }>(
    `INSERT INTO sequence_counters (scope, value) VALUES ($1, 1)
     ON CONFLICT (scope) DO UPDATE SET value = sequence_counters.value + 1 RETURNING value`,
    [scope],
  );
  return Number(result.rows[0]?.value);
}
