/**
 * The offline chat model: a LangChain chat model that needs no network. It reads explicit
 * requests through the bound tools' own schemas and answers with the same structured tool calls a
 * hosted model would, asks for what is missing, and summarizes deterministically.
 */
import type { CallbackManagerForLLMRun } from '@langchain/core/callbacks/manager';
import type { BaseLanguageModelInput } from '@langchain/core/language_models/base';
import {
  BaseChatModel,
  type BaseChatModelCallOptions,
  type BindToolsInput,
} from '@langchain/core/language_models/chat_models';
import { AIMessageChunk, type BaseMessage, type UsageMetadata } from '@langchain/core/messages';
import { ChatGenerationChunk, type ChatResult } from '@langchain/core/outputs';
import type { Runnable } from '@langchain/core/runnables';
import { countMessageTokens, countOutputTokens, type ToolSchema } from '../token-counter.js';
import { normalizeTool, type ToolSpec } from './tool-spec.js';
import { type Decision, decide, type ToolChoiceSetting } from './understand.js';

export interface OfflineChatModelCallOptions extends BaseChatModelCallOptions {
  /** Tools bound with `bindTools` (normalized), or any tool LangChain accepts. */
  tools?: Array<ToolSpec | BindToolsInput>;
}

export interface OfflineChatModelFields {
  /** Reported as `model_name` in response metadata; default "offline". */
  name?: string;
  /**
   * Set by `withStructuredOutput`: a single bound tool is always called, as a hosted model does
   * when asked for structured output.
   */
  forceSingleTool?: boolean;
}

/** tool_choice in any of the shapes LangChain and providers use, reduced to what the model needs. */
export function toolChoiceOf(choice: unknown): ToolChoiceSetting {
  if (choice === undefined || choice === null || choice === 'auto') return 'auto';
  if (choice === 'none') return 'none';
  if (choice === 'any' || choice === 'required') return 'any';
  if (typeof choice === 'string') return { name: choice };
  if (typeof choice === 'object') {
    const record = choice as { name?: unknown; function?: { name?: unknown }; type?: unknown };
    const name = record.function?.name ?? record.name;
    if (typeof name === 'string') return { name };
    if (record.type === 'any') return 'any';
  }
  return 'auto';
}

function isToolSpec(tool: ToolSpec | BindToolsInput): tool is ToolSpec {
  return typeof tool === 'object' && tool !== null && 'variants' in tool && Array.isArray(tool.variants);
}

/** A stable id for a tool call, so the same conversation always yields the same call. */
function callId(tool: string, args: Record<string, unknown>, messages: BaseMessage[]): string {
  const text = `${messages.length}:${tool}:${JSON.stringify(args)}`;
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return `call_offline_${hash.toString(16).padStart(8, '0')}`;
}

function toolSchemas(tools: ToolSpec[]): ToolSchema[] {
  return tools.map((tool) => ({
    name: tool.name,
    description: tool.description,
    parameters: tool.parameters as Record<string, unknown>,
  }));
}

/** Words with their trailing space: the pieces a streaming UI receives one by one. */
export function streamPieces(text: string): string[] {
  return text.match(/\s*\S+\s*/g) ?? (text ? [text] : []);
}

export class OfflineChatModel extends BaseChatModel<OfflineChatModelCallOptions, AIMessageChunk> {
  readonly modelName: string;
  private readonly forceSingleTool: boolean;

  static override lc_name(): string {
    return 'OfflineChatModel';
  }

  constructor(fields: OfflineChatModelFields = {}) {
    super({});
    this.modelName = fields.name ?? 'offline';
    this.forceSingleTool = fields.forceSingleTool ?? false;
  }

  override _llmType(): string {
    return 'offline';
  }

  override bindTools(
    tools: BindToolsInput[],
    kwargs?: Partial<OfflineChatModelCallOptions>,
  ): Runnable<BaseLanguageModelInput, AIMessageChunk, OfflineChatModelCallOptions> {
    const normalized = tools.map((tool) => normalizeTool(tool));
    const choice =
      kwargs?.tool_choice ??
      (this.forceSingleTool && normalized.length === 1 ? normalized[0]?.name : undefined);
    return this.withConfig({
      ...kwargs,
      tools: normalized,
      ...(choice !== undefined ? { tool_choice: choice } : {}),
    });
  }

  /** Structured output is a forced call of the one tool the base class binds. */
  // biome-ignore lint/suspicious/noExplicitAny: one signature standing for the base class's overloads.
  override withStructuredOutput(outputSchema: any, config?: any): any {
    const forcing = new OfflineChatModel({ name: this.modelName, forceSingleTool: true });
    return super.withStructuredOutput.call(forcing, outputSchema, config);
  }

  /** The answer as a chunk, the message type this model produces (structured output requires it). */
  private respond(
    messages: BaseMessage[],
    options: this['ParsedCallOptions'],
  ): { message: AIMessageChunk; decision: Decision } {
    // Tools bound with bindTools arrive normalized; tools passed straight in call options may not be.
    const tools = (options.tools ?? []).map((tool) => (isToolSpec(tool) ? tool : normalizeTool(tool)));
    const decision = decide(messages, tools, toolChoiceOf(options.tool_choice));
    const input = countMessageTokens(messages, toolSchemas(tools));
    const base = { model_name: this.modelName, model_provider: 'offline' };
    let message: AIMessageChunk;
    if (decision.kind === 'call') {
      const id = callId(decision.tool, decision.args, messages);
      message = new AIMessageChunk({
        content: '',
        tool_call_chunks: [
          { type: 'tool_call_chunk', id, name: decision.tool, args: JSON.stringify(decision.args), index: 0 },
        ],
        response_metadata: { ...base, finish_reason: 'tool_calls' },
      });
    } else {
      message = new AIMessageChunk({
        content: decision.text,
        response_metadata: {
          ...base,
          finish_reason: 'stop',
          ...(decision.offline ? { offline: decision.offline } : {}),
        },
      });
    }
    const output = countOutputTokens(message);
    const usage: UsageMetadata = { input_tokens: input, output_tokens: output, total_tokens: input + output };
    message.usage_metadata = usage;
    return { message, decision };
  }

  async _generate(messages: BaseMessage[], options: this['ParsedCallOptions']): Promise<ChatResult> {
    const { message } = this.respond(messages, options);
    const usage = message.usage_metadata;
    return {
      generations: [{ text: typeof message.content === 'string' ? message.content : '', message }],
      llmOutput: {
        tokenUsage: {
          promptTokens: usage?.input_tokens ?? 0,
          completionTokens: usage?.output_tokens ?? 0,
          totalTokens: usage?.total_tokens ?? 0,
        },
      },
    };
  }

  override async *_streamResponseChunks(
    messages: BaseMessage[],
    options: this['ParsedCallOptions'],
    runManager?: CallbackManagerForLLMRun,
  ): AsyncGenerator<ChatGenerationChunk> {
    const { message } = this.respond(messages, options);
    const final = { usage_metadata: message.usage_metadata, response_metadata: message.response_metadata };
    if (message.tool_call_chunks && message.tool_call_chunks.length > 0) {
      yield new ChatGenerationChunk({ text: '', message });
      return;
    }
    const text = typeof message.content === 'string' ? message.content : '';
    for (const piece of streamPieces(text)) {
      if (options.signal?.aborted) return;
      yield new ChatGenerationChunk({ text: piece, message: new AIMessageChunk({ content: piece }) });
      await runManager?.handleLLMNewToken(piece);
    }
    yield new ChatGenerationChunk({ text: '', message: new AIMessageChunk({ content: '', ...final }) });
  }
}
