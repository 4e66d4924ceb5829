/** The fingerprint of a model request: logs carry this hash, never the prompt itself (spec: "log prompt hashes only"). */
import { createHash } from 'node:crypto';
import type { BaseMessage } from '@langchain/core/messages';
import type { ToolSchema } from './token-counter.js';

/** What the provider receives of one message, in a fixed key order so equal requests hash equally. */
function requestShape(message: BaseMessage): Record<string, unknown> {
  const shape: Record<string, unknown> = { type: message.type, content: message.content };
  if (message.name) shape.name = message.name;
  if ('tool_calls' in message && Array.isArray(message.tool_calls) && message.tool_calls.length > 0)
    shape.tool_calls = message.tool_calls.map((call) => ({ id: call.id, name: call.name, args: call.args }));
  if ('tool_call_id' in message && typeof message.tool_call_id === 'string')
    shape.tool_call_id = message.tool_call_id;
  return shape;
}

/** sha256 (hex) of the exact messages, and of the tool schemas when the request carries any. */
export function promptHash(messages: readonly BaseMessage[], tools: readonly ToolSchema[] = []): string {
  const request =
    tools.length > 0 ? { messages: messages.map(requestShape), tools } : messages.map(requestShape);
  return createHash('sha256').update(JSON.stringify(request)).digest('hex');
}
