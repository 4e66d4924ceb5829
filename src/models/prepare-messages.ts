/**
 * What leaves the process for a model: every message passed through the redactor, tool output
 * fenced as data, and the data rule stated once when fenced data is present. Messages that need
 * no change are passed on as they are.
 */
import {
  AIMessage,
  type BaseMessage,
  HumanMessage,
  type MessageContent,
  SystemMessage,
  ToolMessage,
} from '@langchain/core/messages';
import { redactor } from '../guardrails/redaction.js';
import { DATA_RULE, fenceData, isFenced } from '../guardrails/untrusted-data.js';

type Transform = (text: string) => string;

function mapContent(content: MessageContent, transform: Transform): MessageContent {
  if (typeof content === 'string') return transform(content);
  return content.map((block) =>
    block.type === 'text' && typeof block.text === 'string'
      ? { ...block, text: transform(block.text) }
      : block,
  ) as MessageContent;
}

const sameContent = (a: MessageContent, b: MessageContent) =>
  a === b || JSON.stringify(a) === JSON.stringify(b);

function common(message: BaseMessage) {
  return {
    ...(message.id ? { id: message.id } : {}),
    ...(message.name ? { name: message.name } : {}),
    additional_kwargs: redactor.value(message.additional_kwargs ?? {}),
    response_metadata: message.response_metadata ?? {},
  };
}

/** One message as it may leave: redacted, and fenced when it is a tool's output. */
function prepareMessage(message: BaseMessage): BaseMessage {
  const type = message.getType();
  if (type === 'tool') {
    const tool = message as ToolMessage;
    const source = `tool:${tool.name ?? 'output'}`;
    const content = mapContent(tool.content, (text) =>
      isFenced(text) ? redactor.text(text) : fenceData(redactor.text(text), source),
    );
    return new ToolMessage({
      ...common(message),
      content,
      tool_call_id: tool.tool_call_id,
      ...(tool.status ? { status: tool.status } : {}),
    });
  }
  const content = mapContent(message.content, redactor.text);
  if (type === 'ai') {
    const ai = message as AIMessage;
    const toolCalls = redactor.value(ai.tool_calls ?? []);
    const unchanged =
      sameContent(content, message.content) &&
      JSON.stringify(toolCalls) === JSON.stringify(ai.tool_calls ?? []);
    if (unchanged) return message;
    return new AIMessage({
      ...common(message),
      content,
      tool_calls: toolCalls,
      invalid_tool_calls: ai.invalid_tool_calls ?? [],
      ...(ai.usage_metadata ? { usage_metadata: ai.usage_metadata } : {}),
    });
  }
  if (sameContent(content, message.content)) return message;
  if (type === 'system') return new SystemMessage({ ...common(message), content });
  if (type === 'human') return new HumanMessage({ ...common(message), content });
  // Any other kind keeps its class; only its text changes.
  const copy = Object.assign(Object.create(Object.getPrototypeOf(message)), message) as BaseMessage;
  copy.content = content;
  return copy;
}

const textOf = (message: BaseMessage) =>
  typeof message.content === 'string' ? message.content : JSON.stringify(message.content);

/** The messages as they may be sent to a model provider. */
export function prepareForModel(messages: readonly BaseMessage[]): BaseMessage[] {
  const prepared = messages.map(prepareMessage);
  if (!prepared.some((message) => textOf(message).includes('<data source="'))) return prepared;
  if (prepared.some((message) => message.getType() === 'system' && textOf(message).includes(DATA_RULE)))
    return prepared;
  const [first, ...rest] = prepared;
  if (first?.getType() === 'system' && typeof first.content === 'string')
    return [new SystemMessage({ ...common(first), content: `${first.content}\n\n${DATA_RULE}` }), ...rest];
  return [new SystemMessage(DATA_RULE), ...prepared];
}
