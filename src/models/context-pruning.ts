/**
 * Context pruning: before each model call the conversation is cut to a token budget (8k by default), keeping the
 * requirements (the first system message and the latest request), the current plan and the latest tool outputs,
 * and giving up the oldest turns in between first. Counts are o200k, as everywhere else.
 */
import {
  AIMessage,
  type BaseMessage,
  ChatMessage,
  HumanMessage,
  SystemMessage,
  ToolMessage,
} from '@langchain/core/messages';
import { countContentTokens, countMessageTokens, truncateTextTokens } from './token-counter.js';

/** Tokens a request's messages may take (spec: the context is pruned to under 8k before each call). */
export const CONTEXT_TOKEN_LIMIT = 8000;

/** The name a message carries when it holds the current plan; the latest one is kept like the request. */
export const PLAN_MESSAGE_NAME = 'plan';

/** While turns are being dropped, one tool output may take at most this share of the limit. */
const TOOL_OUTPUT_SHARE = 0.25;

/** No message is cut below this many tokens when the kept messages alone are still too long. */
const CUT_FLOOR = 32;

/** Messages that stay or go together: an AI message with tool calls and the tool results answering them. */
interface Unit {
  indices: number[];
  pinned: boolean;
}

const isSystem = (message: BaseMessage) => message.getType() === 'system';
const isHuman = (message: BaseMessage) => message.getType() === 'human';
const isTool = (message: BaseMessage) => message.getType() === 'tool';
const toolCallIds = (message: BaseMessage): string[] =>
  AIMessage.isInstance(message) ? (message.tool_calls ?? []).map((call) => call.id ?? '') : [];

function unitsOf(messages: readonly BaseMessage[]): Unit[] {
  const units: Unit[] = [];
  for (let index = 0; index < messages.length; index += 1) {
    const indices = [index];
    const ids = new Set(toolCallIds(messages[index] as BaseMessage));
    while (ids.size > 0 && index + 1 < messages.length) {
      const next = messages[index + 1] as BaseMessage;
      if (!ToolMessage.isInstance(next) || !ids.has(next.tool_call_id)) break;
      index += 1;
      indices.push(index);
    }
    units.push({ indices, pinned: false });
  }
  return units;
}

/** The requirements, the current plan and the latest tool outputs: what pruning never drops. */
function pin(messages: readonly BaseMessage[], units: Unit[]): void {
  const unitOf = (index: number) => units.find((unit) => unit.indices.includes(index));
  const firstSystem = messages.findIndex(isSystem);
  const lastHuman = messages.findLastIndex(isHuman);
  const lastPlan = messages.findLastIndex((message) => message.name === PLAN_MESSAGE_NAME);
  const lastTool = messages.findLastIndex(isTool);
  for (const index of [firstSystem, lastHuman, lastPlan, lastTool]) {
    const unit = index >= 0 ? unitOf(index) : undefined;
    if (unit) unit.pinned = true;
  }
}

function textOf(message: BaseMessage): string {
  if (typeof message.content === 'string') return message.content;
  return message.content
    .map((block) => (typeof block === 'string' ? block : block.type === 'text' ? String(block.text) : ''))
    .join('');
}

/** A copy of the message with other text, every other field kept (tool call ids above all). */
function withText(message: BaseMessage, content: string): BaseMessage {
  const fields = {
    content,
    id: message.id,
    name: message.name,
    additional_kwargs: message.additional_kwargs,
    response_metadata: message.response_metadata,
  };
  if (ToolMessage.isInstance(message))
    return new ToolMessage({
      ...fields,
      tool_call_id: message.tool_call_id,
      ...(message.status ? { status: message.status } : {}),
      artifact: message.artifact,
    });
  if (AIMessage.isInstance(message))
    return new AIMessage({
      ...fields,
      tool_calls: message.tool_calls ?? [],
      invalid_tool_calls: message.invalid_tool_calls ?? [],
      ...(message.usage_metadata ? { usage_metadata: message.usage_metadata } : {}),
    });
  if (SystemMessage.isInstance(message)) return new SystemMessage(fields);
  if (HumanMessage.isInstance(message)) return new HumanMessage(fields);
  return new ChatMessage({
    ...fields,
    role: ChatMessage.isInstance(message) ? message.role : message.getType(),
  });
}

function cut(message: BaseMessage, maxTokens: number): BaseMessage {
  const keep = isTool(message) ? 'head-and-tail' : 'head';
  return withText(message, truncateTextTokens(textOf(message), maxTokens, keep));
}

/** Order in which kept messages give up text when they alone are too long: tool outputs first, requirements last. */
function cutPriority(message: BaseMessage, index: number, lastHuman: number): number {
  if (isTool(message)) return 0;
  if (isSystem(message)) return 4;
  if (index === lastHuman) return 3;
  if (message.name === PLAN_MESSAGE_NAME) return 2;
  return 1;
}

/** Tokens one message adds to a request: its content and framing, without the reply priming. */
const costOf = (message: BaseMessage) => countMessageTokens([message]) - countMessageTokens([]);

/** Shrinks the kept messages, least important and largest first, until the request fits. */
function shrink(messages: BaseMessage[], costs: number[], limit: number): BaseMessage[] {
  const result = [...messages];
  let total = countMessageTokens([]) + costs.reduce((sum, cost) => sum + cost, 0);
  const lastHuman = result.findLastIndex(isHuman);
  const order = result
    .map((message, index) => ({ index, priority: cutPriority(message, index, lastHuman) }))
    .sort(
      (left, right) => left.priority - right.priority || (costs[right.index] ?? 0) - (costs[left.index] ?? 0),
    );
  for (const { index } of order) {
    const over = total - limit;
    if (over <= 0) break;
    const message = result[index] as BaseMessage;
    const size = countContentTokens(message.content);
    if (size <= CUT_FLOOR) continue;
    const shorter = cut(message, Math.max(CUT_FLOOR, size - over));
    result[index] = shorter;
    const cost = costOf(shorter);
    total += cost - (costs[index] ?? 0);
    costs[index] = cost;
  }
  return result;
}

/**
 * The messages cut to at most `limit` tokens (o200k, framing included). Under the limit they come back untouched.
 * Otherwise: tool outputs over a quarter of the limit are cut (head and tail kept), then the oldest turns other than
 * the first system message, the latest human message, the latest plan and the latest tool round are dropped, an AI
 * message always with the tool results answering it; if the kept messages are still too long, their text is cut,
 * tool outputs first and the system prompt last.
 */
export function pruneContext(messages: BaseMessage[], limit: number = CONTEXT_TOKEN_LIMIT): BaseMessage[] {
  const costs = messages.map(costOf);
  const priming = countMessageTokens([]);
  if (priming + costs.reduce((sum, cost) => sum + cost, 0) <= limit) return messages;
  const toolCap = Math.floor(limit * TOOL_OUTPUT_SHARE);
  const capped = messages.map((message, index) => {
    if (!isTool(message) || countContentTokens(message.content) <= toolCap) return message;
    const shorter = cut(message, toolCap);
    costs[index] = costOf(shorter);
    return shorter;
  });
  const units = unitsOf(capped);
  pin(capped, units);
  const unitCost = (unit: Unit) => unit.indices.reduce((sum, index) => sum + (costs[index] ?? 0), 0);
  const kept = new Set(units);
  let total = priming + units.reduce((sum, unit) => sum + unitCost(unit), 0);
  for (const unit of units) {
    if (total <= limit) break;
    if (unit.pinned) continue;
    kept.delete(unit);
    total -= unitCost(unit);
  }
  // Some providers want the conversation to open with the person: after a cut, an unpinned reply left first goes too.
  for (const unit of kept.size < units.length ? kept : []) {
    const first = capped[unit.indices[0] as number] as BaseMessage;
    if (isSystem(first)) continue;
    if (isHuman(first) || unit.pinned) break;
    kept.delete(unit);
  }
  const indices = [...kept].flatMap((unit) => unit.indices);
  return shrink(
    indices.map((index) => capped[index] as BaseMessage),
    indices.map((index) => costs[index] ?? 0),
    limit,
  );
}

/**
 * Prunes, turns the result into what is really sent (`prepare`: redaction, fencing of tool output), and prunes
 * again with less room while that comes out over the limit: the limit holds for the request, not a draft of it.
 */
export function pruneForRequest(
  messages: BaseMessage[],
  limit: number = CONTEXT_TOKEN_LIMIT,
  prepare: (messages: BaseMessage[]) => BaseMessage[] = (same) => same,
): BaseMessage[] {
  let room = limit;
  for (let attempt = 0; ; attempt += 1) {
    const pruned = pruneContext(messages, room);
    const prepared = prepare(pruned);
    const size = countMessageTokens(prepared);
    if (size <= limit || attempt === 3 || room <= CUT_FLOOR) return prepared;
    // What preparing added is taken off the room, so the next round leaves space for it.
    const added = size - countMessageTokens(pruned);
    room = Math.max(CUT_FLOOR, Math.min(room - 1, limit - added));
  }
}
