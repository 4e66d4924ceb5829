/**
 * Token counts with o200k_base, the encoding gpt-4o and gpt-4.1 are billed in, loaded from the package (no network).
 * Message and tool overheads follow OpenAI's published counting recipe; for other providers the counts are estimates.
 */
import type { BindToolsInput } from '@langchain/core/language_models/chat_models';
import type { BaseMessage, MessageContent } from '@langchain/core/messages';
import { convertToOpenAITool } from '@langchain/core/utils/function_calling';
import { Tiktoken } from 'js-tiktoken/lite';
import o200kBase from 'js-tiktoken/ranks/o200k_base';

/** A tool as the model sees it: name, description and the JSON schema of its arguments. */
export interface ToolSchema {
  name: string;
  description: string;
  parameters: Record<string, unknown>;
}

/** OpenAI's recipe: every message costs 3 tokens of framing, a name 1 more, and every reply is primed with 3. */
const MESSAGE_OVERHEAD = 3;
const NAME_OVERHEAD = 1;
const REPLY_PRIMING = 3;
/** OpenAI's recipe for tool schemas on the gpt-4o family. */
const TOOL_OVERHEAD = { function: 7, properties: 3, property: 3, enum: -3, enumItem: 3, end: 12 } as const;
/** A tool call costs its name and its JSON arguments plus a little framing. */
const TOOL_CALL_OVERHEAD = 3;
/** A low-detail image costs a flat 85 tokens at OpenAI; a fair floor for any image block. */
const IMAGE_TOKENS = 85;

let encoder: Tiktoken | undefined;

/** The shared encoder; parsing the ranks takes a moment, so it happens once, on first use. */
function getEncoder(): Tiktoken {
  encoder ??= new Tiktoken(o200kBase);
  return encoder;
}

/**
 * Counts of short texts seen before. Every model call is counted more than once (budget, pruning,
 * the call record) and its system prompt, role names and tool schemas are the same call after
 * call: encoding them again cost several milliseconds of CPU per request.
 */
const textCounts = new Map<string, number>();
const MAX_CACHED_TEXT = 4096;
const MAX_CACHED_TEXTS = 4096;

/** Tokens of a plain string. Special-token text such as `<|endoftext|>` is counted as ordinary text, never refused. */
export function countTextTokens(text: string): number {
  if (text === '') return 0;
  if (text.length > MAX_CACHED_TEXT) return getEncoder().encode(text, [], []).length;
  let count = textCounts.get(text);
  if (count === undefined) {
    count = getEncoder().encode(text, [], []).length;
    if (textCounts.size >= MAX_CACHED_TEXTS) textCounts.clear();
    textCounts.set(text, count);
  }
  return count;
}

/** Tokens of a message's content: text blocks encoded, images at a flat rate, other blocks as their JSON. */
export function countContentTokens(content: MessageContent): number {
  if (typeof content === 'string') return countTextTokens(content);
  let total = 0;
  for (const block of content) {
    if (typeof block === 'string') total += countTextTokens(block);
    else if (block.type === 'text' && typeof block.text === 'string') total += countTextTokens(block.text);
    else if (block.type === 'image_url' || block.type === 'image') total += IMAGE_TOKENS;
    else total += countTextTokens(JSON.stringify(block));
  }
  return total;
}

const ROLES: Record<string, string> = { human: 'user', ai: 'assistant', system: 'system', tool: 'tool' };

function roleOf(message: BaseMessage): string {
  const type = message.type;
  if (type === 'generic' && 'role' in message && typeof message.role === 'string') return message.role;
  return ROLES[type] ?? type;
}

function countToolCallTokens(message: BaseMessage): number {
  const calls = 'tool_calls' in message && Array.isArray(message.tool_calls) ? message.tool_calls : [];
  let total = 0;
  for (const call of calls as { name: string; args: unknown }[])
    total +=
      TOOL_CALL_OVERHEAD + countTextTokens(call.name) + countTextTokens(JSON.stringify(call.args ?? {}));
  return total;
}

/** Tokens a model produced in one answer: its text and its tool calls, without the framing of a prompt. */
export function countOutputTokens(message: BaseMessage): number {
  return countContentTokens(message.content) + countToolCallTokens(message);
}

/** Normalises any tool LangChain accepts (zod tool, OpenAI or Anthropic shape) to the schema the model is sent. */
export function toToolSchema(tool: BindToolsInput): ToolSchema {
  const record = tool as Record<string, unknown>;
  if (typeof record.name === 'string' && record.input_schema && typeof record.input_schema === 'object')
    return {
      name: record.name,
      description: typeof record.description === 'string' ? record.description : '',
      parameters: record.input_schema as Record<string, unknown>,
    };
  const definition = convertToOpenAITool(tool as Parameters<typeof convertToOpenAITool>[0]);
  const fn = definition.function ?? (definition as unknown as ToolSchema);
  return {
    name: fn.name,
    description: fn.description ?? '',
    parameters: (fn.parameters as Record<string, unknown> | undefined) ?? {},
  };
}

const withoutFinalPeriod = (text: string) => (text.endsWith('.') ? text.slice(0, -1) : text);

function countPropertiesTokens(properties: Record<string, unknown>): number {
  let total = TOOL_OVERHEAD.properties;
  for (const [name, raw] of Object.entries(properties)) {
    const property = (raw ?? {}) as Record<string, unknown>;
    const type = Array.isArray(property.type) ? property.type.join('|') : String(property.type ?? 'any');
    const description = typeof property.description === 'string' ? property.description : '';
    total += TOOL_OVERHEAD.property + countTextTokens(`${name}:${type}:${withoutFinalPeriod(description)}`);
    if (Array.isArray(property.enum)) {
      total += TOOL_OVERHEAD.enum;
      for (const item of property.enum) total += TOOL_OVERHEAD.enumItem + countTextTokens(String(item));
    }
    // The recipe covers flat schemas; nested objects and arrays of objects are counted the same way, one level down.
    const items = property.items as Record<string, unknown> | undefined;
    const nested = (property.properties ?? items?.properties) as Record<string, unknown> | undefined;
    if (nested && Object.keys(nested).length > 0) total += countPropertiesTokens(nested);
  }
  return total;
}

/** Tool lists already counted: every request of a role sends the same ones, often twice per call. */
const toolSchemaCounts = new Map<string, number>();
const MAX_COUNTED_TOOL_LISTS = 256;

/** Tokens the tool schemas add to a request. */
export function countToolSchemaTokens(tools: readonly ToolSchema[]): number {
  if (tools.length === 0) return 0;
  const key = JSON.stringify(tools);
  let total = toolSchemaCounts.get(key);
  if (total === undefined) {
    total = countToolSchemas(tools);
    if (toolSchemaCounts.size >= MAX_COUNTED_TOOL_LISTS) toolSchemaCounts.clear();
    toolSchemaCounts.set(key, total);
  }
  return total;
}

function countToolSchemas(tools: readonly ToolSchema[]): number {
  let total = 0;
  for (const tool of tools) {
    total += TOOL_OVERHEAD.function + countTextTokens(`${tool.name}:${withoutFinalPeriod(tool.description)}`);
    const properties = tool.parameters.properties as Record<string, unknown> | undefined;
    if (properties && Object.keys(properties).length > 0) total += countPropertiesTokens(properties);
  }
  return total + TOOL_OVERHEAD.end;
}

/** Input tokens of a chat request: every message with its framing, tool calls and results, and the tool schemas. */
export function countMessageTokens(
  messages: readonly BaseMessage[],
  tools: readonly ToolSchema[] = [],
): number {
  let total = REPLY_PRIMING;
  for (const message of messages) {
    total += MESSAGE_OVERHEAD + countTextTokens(roleOf(message)) + countContentTokens(message.content);
    if (message.name) total += NAME_OVERHEAD + countTextTokens(message.name);
    total += countToolCallTokens(message);
    if ('tool_call_id' in message && typeof message.tool_call_id === 'string')
      total += countTextTokens(message.tool_call_id);
  }
  return total + countToolSchemaTokens(tools);
}

/**
 * The text cut to at most `maxTokens` o200k tokens, a marker included: the head only, or the head and the tail
 * (where tool output keeps its errors and totals). Text already within the limit comes back unchanged.
 */
export function truncateTextTokens(
  text: string,
  maxTokens: number,
  keep: 'head' | 'head-and-tail' = 'head',
): string {
  const tokens = getEncoder().encode(text, [], []);
  if (tokens.length <= maxTokens) return text;
  const marker = `\n[… ${tokens.length} tokens cut to ${maxTokens} …]\n`;
  const decode = (part: number[]) => getEncoder().decode(part);
  // Two tokens of slack: text re-encoded across the seams may merge differently.
  const room = maxTokens - countTextTokens(marker) - 2;
  if (room <= 0) return decode(tokens.slice(0, Math.max(0, maxTokens - 2)));
  if (keep === 'head') return `${decode(tokens.slice(0, room))}${marker}`.trimEnd();
  const head = Math.ceil(room / 2);
  const tail = room - head;
  return `${decode(tokens.slice(0, head))}${marker}${tail > 0 ? decode(tokens.slice(-tail)) : ''}`;
}
