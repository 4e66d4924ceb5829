/**
 * Whether a request of the agents (form, approval, credentials) has been answered. The stored
 * events do not hold the answers themselves, so a replayed session infers them from what
 * happened next; answers sent from this page are known directly.
 */
import type { AgentEvent } from '../../../src/protocol/events.js';
import type { EventFrame } from '../../../src/protocol/ws.js';

export type EventOf<T extends AgentEvent['type']> = Extract<EventFrame, { type: T }>;

/** What this page answered to a request (form_id or plan hash), before the server's events show it. */
export interface LocalAnswer {
  frameId: string;
  decision?: 'approve' | 'reject';
  /** Values to echo back: never the secret ones. */
  shown?: Record<string, string>;
}

const WAITING_NODE = /^(ask|await)-/;

/**
 * A request was answered when anything but the graph's own pausing (ask-* / await-* nodes)
 * happened after it: the stored events do not hold the answer itself.
 */
export function answeredAfter(events: EventFrame[], index: number): boolean {
  for (const event of events.slice(index + 1)) {
    if (event.type === 'node-end') continue;
    if (event.type === 'node-start' && WAITING_NODE.test(event.node)) continue;
    return true;
  }
  return false;
}

/** From the stored events alone: approved when a step of its deployment started, rejected when it ended without one. */
export function replayedDecision(events: EventFrame[], index: number, deploymentId: string | undefined) {
  if (!deploymentId) return undefined;
  const later = events.slice(index + 1);
  if (later.some((event) => event.type === 'step-start' && event.deployment_id === deploymentId))
    return 'approve' as const;
  if (later.some((event) => event.type === 'deployment-end' && event.deployment_id === deploymentId))
    return 'reject' as const;
  return undefined;
}

/** The credential-request the session waits on, if any (the dialog opens for it by itself). */
export function pendingCredentialRequest(
  events: EventFrame[],
  answers: Record<string, LocalAnswer>,
): EventOf<'credential-request'> | undefined {
  for (let index = events.length - 1; index >= 0; index -= 1) {
    const event = events[index];
    if (event?.type !== 'credential-request') continue;
    return answers[event.form_id] || answeredAfter(events, index) ? undefined : event;
  }
  return undefined;
}
