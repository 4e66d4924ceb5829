/** Names no other test run has used: tests share one emulator, and AWS names are often account-wide. */
import { randomBytes } from 'node:crypto';

/** `prefix-` and 8 random hex digits, e.g. `fn-1a2b3c4d`. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}
