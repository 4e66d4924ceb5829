/** Stores one markdown report with the session (redacted, like every transcript) and tells the UI. */
import { randomUUID } from 'node:crypto';
import { redactor } from '../../guardrails/redaction.js';
import type { AgentRuntime, SessionContext } from '../runtime.js';

export const REPORT_NAMES = {
  triage: 'triage_report.md',
  plan: 'plan_repair_plan.md',
  verify: 'verify_post_check.md',
  summary: 'report_summary.md',
} as const;

export async function saveReport(
  runtime: AgentRuntime,
  session: SessionContext,
  name: string,
  markdown: string,
): Promise<string> {
  const id = randomUUID();
  await runtime.store.reports.save({
    id,
    userId: session.userId,
    sessionId: session.sessionId,
    name,
    markdown: redactor.text(markdown),
    at: new Date().toISOString(),
  });
  await session.emit({ type: 'report-save', report_id: id, name });
  return id;
}
