/** One workflow turn as an MCP client needs it: what was said and done, and what the workflow waits for. */
import type { TurnResult } from '../agents/chat-session.js';
import type { AgentEvent } from '../protocol/events.js';

type EventOf<T extends AgentEvent['type']> = Extract<AgentEvent, { type: T }>;
type WaitEvent = EventOf<'approval-request' | 'form-request' | 'credential-request'>;

function waitingFor(event: WaitEvent | undefined, raw: unknown): Record<string, unknown> | null {
  if (!event) return raw === undefined ? null : { kind: 'other', detail: raw };
  if (event.type === 'approval-request') {
    return {
      kind: 'approval',
      plan_hash: event.plan_hash,
      plan_id: event.plan_id,
      ...(event.deployment_id ? { deployment_id: event.deployment_id } : {}),
      summary: event.summary,
      risk: event.risk,
      steps: event.steps,
      previews: event.previews,
    };
  }
  if (event.type === 'form-request')
    return { kind: 'form', form_id: event.form_id, title: event.title, fields: event.fields };
  return { kind: 'credentials', form_id: event.form_id, reason: event.reason };
}

function nextStep(wait: Record<string, unknown> | null, sessionId: string, reports: number): string {
  switch (wait?.kind) {
    case 'approval':
      return `Show the plan and its previews to the person. Then call answer_approval with session_id "${sessionId}", plan_hash "${String(wait.plan_hash)}" and decision "approve" (the person confirms it in your client) or "reject".`;
    case 'form':
      return `Ask the person for these fields, then call answer_form with session_id "${sessionId}", form_id "${String(wait.form_id)}" and values {field name: value}.`;
    case 'credentials':
      return `The person must store AWS credentials (run 'aws-copilot credentials set'); then call send_message with session_id "${sessionId}" to continue.`;
    case 'other':
      return `The workflow waits for the person; call send_message with session_id "${sessionId}".`;
    default:
      return reports > 0
        ? 'The workflow finished; read its reports with get_report.'
        : `The workflow finished; call send_message with session_id "${sessionId}" to say more.`;
  }
}

export function summarizeTurn(turn: TurnResult, events: AgentEvent[]): Record<string, unknown> {
  const of = <T extends AgentEvent['type']>(type: T) =>
    events.filter((event): event is EventOf<T> => event.type === type);
  const lastWait = events
    .filter((event): event is WaitEvent =>
      ['approval-request', 'form-request', 'credential-request'].includes(event.type),
    )
    .at(-1);
  const wait = turn.status === 'waiting' ? waitingFor(lastWait, turn.waitingFor) : null;
  const reports = of('report-save').map(({ report_id, name }) => ({ report_id, name }));
  return {
    session_id: turn.sessionId,
    workflow: turn.workflow,
    status: turn.status,
    messages: of('message-end').map((event) => event.text),
    steps: of('step-end').map(({ step_id, status, detail }) => ({
      step_id,
      status,
      ...(detail ? { detail } : {}),
    })),
    deployments: of('deployment-end').map(({ type: _type, ...end }) => end),
    compliance: of('compliance-decision').map(({ type: _type, ...decision }) => decision),
    reports,
    errors: of('error').map(({ code, message }) => ({ code, message })),
    waiting_for: wait,
    next: nextStep(wait, turn.sessionId, reports.length),
  };
}

/** A short line for MCP progress notifications, so a long turn keeps the client's request alive. */
export function progressLine(event: AgentEvent): string | undefined {
  switch (event.type) {
    case 'message-end':
      return event.text;
    case 'node-start':
      return `${event.agent}: ${event.node}`;
    case 'step-start':
      return `step ${event.index}/${event.total}: ${event.tool}`;
    case 'step-end':
      return `${event.step_id}: ${event.status}`;
    default:
      return undefined;
  }
}
