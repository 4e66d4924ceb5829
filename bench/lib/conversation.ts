/**
 * Conversations driven the way a person drives them through the session API: a message, then
 * each form answered and the plan approved, until the workflow is done.
 */
import type { ChatSessions, TurnResult } from '../../src/agents/chat-session.js';
import type { AgentEvent } from '../../src/protocol/events.js';

export type TimedEvent = AgentEvent & { seq: number; atMs: number };

export interface Conversation {
  result: TurnResult;
  events: TimedEvent[];
  /** Turns the person took: the first message, each form, the approval. */
  turns: number;
  wallMs: number;
}

export interface ConversationScript {
  userId: string;
  text: string;
  /** The value typed into a form field, by field name; undefined keeps the value the form proposes. */
  field: (name: string) => unknown;
  /** Whether to approve the plan (the default) or reject it. */
  approve?: boolean;
}

/** At most this many answers: a workflow that keeps asking is a failure, not a long run. */
const MAX_TURNS = 8;

export async function converse(sessions: ChatSessions, script: ConversationScript): Promise<Conversation> {
  const events: TimedEvent[] = [];
  const start = performance.now();
  const listener = (event: AgentEvent & { seq: number }) => {
    events.push({ ...event, atMs: performance.now() - start });
  };
  let result = await sessions.send({ userId: script.userId, text: script.text, listener });
  let turns = 1;
  while (result.status === 'waiting') {
    if (turns >= MAX_TURNS) throw new Error(`still waiting after ${turns} turns: ${describe(events)}`);
    const question = [...events]
      .reverse()
      .find((event) => event.type === 'form-request' || event.type === 'approval-request');
    let answer: unknown;
    if (question?.type === 'form-request') {
      const values = Object.fromEntries(
        question.fields.map((field) => [field.name, script.field(field.name) ?? field.value ?? '']),
      );
      answer = { kind: 'form', form_id: question.form_id, values };
    } else if (question?.type === 'approval-request') {
      answer = {
        kind: 'approval',
        plan_hash: question.plan_hash,
        decision: script.approve === false ? 'reject' : 'approve',
      };
    } else {
      throw new Error(`waiting for something this script cannot answer: ${describe(events)}`);
    }
    result = await sessions.answer({ userId: script.userId, sessionId: result.sessionId, answer, listener });
    turns += 1;
  }
  return { result, events, turns, wallMs: performance.now() - start };
}

function describe(events: TimedEvent[]): string {
  return events
    .slice(-6)
    .map((event) => (event.type === 'message-end' ? `message: ${event.text.slice(0, 200)}` : event.type))
    .join(' | ');
}

/** Wall time per graph node (summed over its runs), from the `node-end` events' latency. */
export function nodeLatencies(events: TimedEvent[]): Map<string, number> {
  const totals = new Map<string, number>();
  for (const event of events) {
    if (event.type !== 'node-end') continue;
    totals.set(event.node, (totals.get(event.node) ?? 0) + event.latency_ms);
  }
  return totals;
}
