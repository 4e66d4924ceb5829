/** Process exit codes, stable for scripts. */
export const EXIT = {
  ok: 0,
  /** A tool ran and failed (AWS error, invalid input...). */
  failed: 1,
  /** The command line or the settings are wrong. */
  usage: 2,
  /** A write was not approved, or a guardrail refused it. */
  refused: 3,
} as const;

/** A mistake in how the command was called; printed without a stack trace. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
