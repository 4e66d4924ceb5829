/** Row-to-record helpers shared by the SQL repositories. */

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
