/**
 * Where user messages go among the events: the events do not carry them, so messages sent from
 * this page remember the last event seen, and transcript turns follow the assistant message
 * (a stored message-end) they answered.
 */
import type { EventFrame } from '../../../src/protocol/ws.js';

/** A user message: sent from this page after `afterSeq`, or read from the stored transcript. */
export interface UserMessage {
  key: string;
  text: string;
  /** Sent from this page once the event with this seq had arrived. */
  afterSeq?: number;
  /** From the transcript: the text of the assistant message it followed (none: the first turn). */
  afterAssistantText?: string;
}

/** Where each user message goes: after which event seq (0: before every event). */
export function placeUserMessages(events: EventFrame[], messages: UserMessage[]): Map<number, UserMessage[]> {
  const anchors = new Map<number, UserMessage[]>();
  const add = (seq: number, message: UserMessage) => anchors.set(seq, [...(anchors.get(seq) ?? []), message]);
  // Transcript turns follow assistant messages; each stored message-end is one assistant turn.
  const ends = events.filter((event) => event.type === 'message-end');
  let cursor = 0;
  for (const message of messages) {
    if (message.afterSeq !== undefined) add(message.afterSeq, message);
    else if (message.afterAssistantText === undefined) add(0, message);
    else {
      const found = ends.findIndex((end, at) => at >= cursor && end.text === message.afterAssistantText);
      if (found >= 0) cursor = found + 1;
      add(found >= 0 ? (ends[found]?.seq ?? 0) : (events.at(-1)?.seq ?? 0), message);
    }
  }
  return anchors;
}

/** Transcript user turns with the assistant message each one followed, to place them among events. */
export function userMessagesOf(turns: Array<{ seq: number; role: string; content: string }>): UserMessage[] {
  const messages: UserMessage[] = [];
  let lastAssistant: string | undefined;
  for (const turn of turns) {
    if (turn.role === 'assistant') lastAssistant = turn.content;
    if (turn.role !== 'user') continue;
    messages.push({
      key: `turn-${turn.seq}`,
      text: turn.content,
      ...(lastAssistant === undefined ? {} : { afterAssistantText: lastAssistant }),
    });
  }
  return messages;
}
