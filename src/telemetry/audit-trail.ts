/**
 * The audit trail of one chat session: every tool call its workflows made, each AWS call in it
 * (action, resource ids, AWS request id) tied to the plan hash and the person's recorded decision
 * that allowed it. Records are found by the correlation ids the session used: the session itself,
 * its deployments, and its workflow runs (from its telemetry).
 */
import type { ApprovalRecord, Store } from '../store/ports.js';
import type { AuditRecord } from '../tools/audit.js';

export interface AuditTrailEntry {
  at: string;
  tool: string;
  mode: AuditRecord['mode'];
  risk: AuditRecord['risk'];
  outcome: AuditRecord['outcome'];
  role: string | null;
  correlation_id: string | null;
  error_code: string | null;
  resource_ids: string[];
  plan_hash: string | null;
  approval_id: string | null;
  /** The person's recorded decision on the plan hash, in this session. */
  approval: { decision: ApprovalRecord['decision']; by: string; channel: string; at: string } | null;
  aws_calls: Array<{
    action: string;
    request_id: string | null;
    http_status: number | null;
    error_code: string | null;
  }>;
}

export interface AuditTrail {
  session: { id: string; title: string; user_id: string };
  entries: AuditTrailEntry[];
}

export async function auditTrail(
  store: Store,
  userId: string,
  sessionId: string,
): Promise<AuditTrail | undefined> {
  const session = await store.sessions.get(userId, sessionId);
  if (!session) return undefined;
  const deployments = (await store.deployments.list(userId, 10_000)).filter(
    (item) => item.sessionId === sessionId,
  );
  const telemetry = await store.telemetry.list({ sessionId });
  const correlations = new Set<string>([
    sessionId,
    ...deployments.map((item) => item.id),
    ...telemetry.flatMap((event) => (event.correlationId ? [event.correlationId] : [])),
  ]);
  const records = new Map<string, AuditRecord>();
  for (const correlationId of correlations)
    for (const record of await store.audit.list({ correlationId })) {
      // A record another session wrote under a shared id is not this session's.
      if (!record.sessionId || record.sessionId === sessionId) records.set(record.id, record);
    }
  const decisions = new Map<string, ApprovalRecord | undefined>();
  for (const hash of new Set(
    [...records.values()].flatMap((record) => (record.planHash ? [record.planHash] : [])),
  )) {
    const forPlan = (await store.approvals.forPlan(hash)).filter((item) => item.sessionId === sessionId);
    decisions.set(hash, forPlan.at(-1));
  }
  const entries = [...records.values()]
    .sort((a, b) => a.at.localeCompare(b.at) || a.id.localeCompare(b.id))
    .map((record): AuditTrailEntry => {
      const decision = record.planHash ? decisions.get(record.planHash) : undefined;
      return {
        at: record.at,
        tool: record.tool,
        mode: record.mode,
        risk: record.risk,
        outcome: record.outcome,
        role: record.role ?? null,
        correlation_id: record.correlationId ?? null,
        error_code: record.errorCode ?? null,
        resource_ids: record.resourceIds,
        plan_hash: record.planHash ?? null,
        approval_id: record.approvalId ?? null,
        approval: decision
          ? { decision: decision.decision, by: decision.userId, channel: decision.channel, at: decision.at }
          : null,
        aws_calls: record.awsCalls.map((call) => ({
          action: `${call.service}:${call.operation}`,
          request_id: call.requestId ?? null,
          http_status: call.httpStatus ?? null,
          error_code: call.errorCode ?? null,
        })),
      };
    });
  return { session: { id: session.id, title: session.title, user_id: userId }, entries };
}

/** The trail as text, one block per tool call. */
export function formatAuditTrail(trail: AuditTrail): string {
  const lines = [
    `Audit trail of session ${trail.session.id} (${trail.session.title}), user ${trail.session.user_id}`,
  ];
  if (trail.entries.length === 0) lines.push('  no tool calls recorded');
  for (const entry of trail.entries) {
    lines.push(
      `${entry.at}  ${entry.mode.padEnd(10)} ${entry.tool}  ${entry.outcome}${entry.error_code ? ` (${entry.error_code})` : ''}  risk ${entry.risk}${entry.role ? `  role ${entry.role}` : ''}`,
    );
    if (entry.plan_hash || entry.approval_id) {
      const decision = entry.approval
        ? `${entry.approval.decision} by ${entry.approval.by} via ${entry.approval.channel} at ${entry.approval.at}`
        : 'no recorded decision';
      lines.push(`    plan ${entry.plan_hash ?? '-'}  approval ${entry.approval_id ?? '-'}: ${decision}`);
    } else if (entry.risk !== 'read' && entry.mode !== 'preview') {
      lines.push('    no approval');
    }
    if (entry.resource_ids.length > 0) lines.push(`    resources: ${entry.resource_ids.join(', ')}`);
    for (const call of entry.aws_calls) {
      lines.push(
        `    AWS ${call.action}  request ${call.request_id ?? '-'}${call.http_status ? `  HTTP ${call.http_status}` : ''}${call.error_code ? `  ${call.error_code}` : ''}`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}
