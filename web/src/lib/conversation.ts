/**
 * Turns a session's event stream into what the conversation shows: messages (streamed deltas
 * joined until message-end replaces them), forms, plan cards, tool calls and one progress card
 * per deployment. Pure: the same events always give the same items, so a replay after a reload
 * renders exactly what the live page showed.
 */
import type { EventFrame } from '../../../src/protocol/ws.js';
import { answeredAfter, type EventOf, type LocalAnswer, replayedDecision } from './request-answers.js';
import { placeUserMessages, type UserMessage } from './user-messages.js';

export type StepState = 'running' | EventOf<'step-end'>['status'];

export interface StepView {
  stepId: string;
  tool: string;
  index: number;
  total: number;
  state: StepState;
  latencyMs?: number;
  detail?: string;
}

export type ChatItem =
  | { kind: 'user'; key: string; text: string }
  | { kind: 'assistant'; key: string; text: string; streaming: boolean }
  | { kind: 'form'; key: string; request: EventOf<'form-request'>; answered: boolean; answer?: LocalAnswer }
  | {
      kind: 'approval';
      key: string;
      request: EventOf<'approval-request'>;
      answered: boolean;
      decision?: 'approve' | 'reject';
    }
  | { kind: 'credentials'; key: string; request: EventOf<'credential-request'>; answered: boolean }
  | { kind: 'compliance'; key: string; event: EventOf<'compliance-decision'> }
  | { kind: 'tool'; key: string; start: EventOf<'tool-call-start'>; end?: EventOf<'tool-call-end'> }
  | {
      kind: 'deployment';
      key: string;
      deploymentId: string;
      steps: StepView[];
      end?: EventOf<'deployment-end'>;
    }
  | { kind: 'report'; key: string; event: EventOf<'report-save'> }
  | { kind: 'error'; key: string; event: EventOf<'error'> };

export function buildConversation(
  events: EventFrame[],
  messages: UserMessage[],
  answers: Record<string, LocalAnswer>,
): ChatItem[] {
  const items: ChatItem[] = [];
  const anchors = placeUserMessages(events, messages);
  const pushUsers = (seq: number) => {
    for (const message of anchors.get(seq) ?? []) items.push({ kind: 'user', ...message });
  };
  let streaming: Extract<ChatItem, { kind: 'assistant' }> | undefined;
  const tools = new Map<string, Extract<ChatItem, { kind: 'tool' }>>();
  const deployments = new Map<string, Extract<ChatItem, { kind: 'deployment' }>>();
  const deploymentOf = (id: string) => {
    let item = deployments.get(id);
    if (!item) {
      item = { kind: 'deployment', key: `deployment-${id}`, deploymentId: id, steps: [] };
      deployments.set(id, item);
      items.push(item);
    }
    return item;
  };

  pushUsers(0);
  events.forEach((event, index) => {
    const key = `event-${event.seq}`;
    switch (event.type) {
      case 'message-delta':
        if (!streaming) {
          streaming = { kind: 'assistant', key, text: '', streaming: true };
          items.push(streaming);
        }
        streaming.text += event.text;
        break;
      case 'message-end':
        if (streaming) Object.assign(streaming, { text: event.text, streaming: false });
        else items.push({ kind: 'assistant', key, text: event.text, streaming: false });
        streaming = undefined;
        break;
      case 'form-request': {
        const answer = answers[event.form_id];
        items.push({
          kind: 'form',
          key,
          request: event,
          answered: Boolean(answer) || answeredAfter(events, index),
          ...(answer ? { answer } : {}),
        });
        break;
      }
      case 'approval-request': {
        const decision =
          answers[event.plan_hash]?.decision ?? replayedDecision(events, index, event.deployment_id);
        items.push({
          kind: 'approval',
          key,
          request: event,
          answered: Boolean(decision) || answeredAfter(events, index),
          ...(decision ? { decision } : {}),
        });
        break;
      }
      case 'credential-request':
        items.push({
          kind: 'credentials',
          key,
          request: event,
          answered: Boolean(answers[event.form_id]) || answeredAfter(events, index),
        });
        break;
      case 'compliance-decision':
        items.push({ kind: 'compliance', key, event });
        break;
      case 'tool-call-start': {
        const item = { kind: 'tool' as const, key, start: event };
        tools.set(event.call_id, item);
        items.push(item);
        break;
      }
      case 'tool-call-end': {
        const item = tools.get(event.call_id);
        if (item) Object.assign(item, { end: event });
        break;
      }
      case 'step-start': {
        const item = deploymentOf(event.deployment_id);
        const step: StepView = {
          stepId: event.step_id,
          tool: event.tool,
          index: event.index,
          total: event.total,
          state: 'running',
        };
        item.steps = [...item.steps.filter((known) => known.stepId !== event.step_id), step];
        break;
      }
      case 'step-end': {
        const item = deploymentOf(event.deployment_id);
        // A compensation ends a step that completed earlier: the latest state is the one to show.
        item.steps = item.steps.map((step) =>
          step.stepId === event.step_id
            ? {
                ...step,
                state: event.status,
                latencyMs: event.latency_ms,
                ...(event.detail ? { detail: event.detail } : {}),
              }
            : step,
        );
        break;
      }
      case 'deployment-end':
        deploymentOf(event.deployment_id).end = event;
        break;
      case 'report-save':
        items.push({ kind: 'report', key, event });
        break;
      case 'error':
        items.push({ kind: 'error', key, event });
        break;
      default:
        break;
    }
    pushUsers(event.seq);
  });
  return items;
}

/** The graph node running now (the last one started and not ended), for the busy indicator. */
export function currentActivity(events: EventFrame[]): { node: string; agent: string } | undefined {
  const ended = new Set<string>();
  for (let index = events.length - 1; index >= 0; index -= 1) {
    const event = events[index];
    if (event?.type === 'node-end') ended.add(event.node);
    if (event?.type === 'node-start' && !ended.has(event.node))
      return { node: event.node, agent: event.agent };
  }
  return undefined;
}
