/** What the policy tests share: a policy file written for the run, and what one request did. */
import { writeFileSync } from 'node:fs';
import type { ObservedSession } from './observed-session.js';

export function writePolicy(path: string, rules: unknown[]): void {
  writeFileSync(path, JSON.stringify({ version: 1, rules }, null, 2));
}

/** One chat request: what the officer decided, whether approval was asked, what was said and what ran. */
export async function requestOutcome(session: ObservedSession, text: string) {
  const before = session.events.length;
  const auditBefore = session.audit.length;
  const turn = await session.send(text);
  const events = session.events.slice(before);
  const decision = events.find((event) => event.type === 'compliance-decision');
  return {
    turn,
    decision: decision?.type === 'compliance-decision' ? decision : undefined,
    approval: events.find((event) => event.type === 'approval-request'),
    said: events.flatMap((event) => (event.type === 'message-end' ? [event.text] : [])).join('\n'),
    writes: () =>
      session.audit.slice(auditBefore).filter((record) => record.mode === 'run' && record.risk !== 'read'),
  };
}
