/**
 * The chat model every node talks to: a provider model with, in code rather than in prompts, the session's token
 * budget checked before each request, the cheaper model as fallback on errors or when the budget is tight, and one
 * log line per call that carries the prompt's hash and token counts, never its text.
 */
import type { CallbackManagerForLLMRun } from '@langchain/core/callbacks/manager';
import type { BaseLanguageModelInput } from '@langchain/core/language_models/base';
import {
  BaseChatModel,
  type BaseChatModelCallOptions,
  type BaseChatModelParams,
  type BindToolsInput,
} from '@langchain/core/language_models/chat_models';
import { AIMessage, AIMessageChunk, type BaseMessage, type MessageContent } from '@langchain/core/messages';
import { ChatGenerationChunk, type ChatResult } from '@langchain/core/outputs';
import type { Runnable } from '@langchain/core/runnables';
import { CopilotError } from '../errors/copilot-error.js';
import { logger } from '../telemetry/logger.js';
import { CONTEXT_TOKEN_LIMIT, pruneForRequest } from './context-pruning.js';
import { prepareForModel } from './prepare-messages.js';
import { promptHash } from './prompt-hash.js';
import type { BudgetReservation, TokenBudget, TokenUsage } from './token-budget.js';
import {
  countContentTokens,
  countMessageTokens,
  countOutputTokens,
  countToolSchemaTokens,
  type ToolSchema,
  toToolSchema,
} from './token-counter.js';

/** 'standard': the configured model, economy as fallback; 'economy': the cheaper one only; 'auto': economy when the budget is tight. */
export type ModelTier = 'standard' | 'economy' | 'auto';

type ChatRunnable = Runnable<BaseLanguageModelInput, AIMessageChunk>;

/** What is logged of one model call: hashes and counts, no text. */
export interface ModelCallRecord {
  promptHash: string;
  /** The model that answered, as the provider named it. */
  model: string;
  tier: 'standard' | 'economy';
  inputTokens: number;
  outputTokens: number;
  /** 'provider' when the answer carried usage, 'counted' when it was counted with o200k. */
  usageSource: 'provider' | 'counted';
  deploymentId: string | undefined;
}

export interface ManagedChatModelFields extends BaseChatModelParams {
  standard: ChatRunnable;
  /** The cheaper model: fallback of the standard one, and the only one when the tier says economy. */
  economy?: ChatRunnable;
  tier?: ModelTier;
  budget?: TokenBudget;
  /** Schemas of the bound tools, counted into every request. */
  tools?: ToolSchema[];
  /** Called after each successful call; the default writes a debug log line. */
  onCall?: (record: ModelCallRecord) => void;
  /** Set by `withStructuredOutput`: a single bound tool is forced, so the answer cannot come back as prose. */
  forceSingleTool?: boolean;
  /** Tokens one request may take, tool schemas included; the context is pruned to fit (default 8000). */
  contextLimit?: number;
}

/** Messages keep at least this much room however many tool schemas are bound. */
const MIN_MESSAGE_ROOM = 1000;

interface Call {
  runnable: ChatRunnable;
  tier: 'standard' | 'economy';
  inputTokens: number;
  hash: string;
  reservation: BudgetReservation | undefined;
}

function modelNameOf(message: AIMessageChunk | undefined, runnable: ChatRunnable): string {
  const metadata = message?.response_metadata ?? {};
  const named = metadata.model_name ?? metadata.model ?? metadata.modelId;
  if (typeof named === 'string') return named;
  const target = (runnable as { bound?: unknown }).bound ?? runnable;
  const model = (target as { model?: unknown }).model;
  return typeof model === 'string' ? model : runnable.getName();
}

function usageOf(
  message: AIMessageChunk,
  inputTokens: number,
): TokenUsage & { source: 'provider' | 'counted' } {
  const usage = message.usage_metadata;
  if (usage && (usage.input_tokens > 0 || usage.output_tokens > 0))
    return { input_tokens: usage.input_tokens, output_tokens: usage.output_tokens, source: 'provider' };
  return { input_tokens: inputTokens, output_tokens: countOutputTokens(message), source: 'counted' };
}

/** A model without streaming yields its whole answer as a plain message; chunks are what can be concatenated. */
function asChunk(message: BaseMessage): AIMessageChunk {
  if (AIMessageChunk.isInstance(message)) return message;
  const ai = AIMessage.isInstance(message) ? message : undefined;
  return new AIMessageChunk({
    content: message.content,
    id: message.id,
    name: message.name,
    additional_kwargs: message.additional_kwargs,
    response_metadata: message.response_metadata,
    tool_calls: ai?.tool_calls ?? [],
    invalid_tool_calls: ai?.invalid_tool_calls ?? [],
    usage_metadata: ai?.usage_metadata,
  });
}

export class ManagedChatModel extends BaseChatModel<BaseChatModelCallOptions, AIMessageChunk> {
  static override lc_name() {
    return 'ManagedChatModel';
  }

  readonly fields: ManagedChatModelFields;

  constructor(fields: ManagedChatModelFields) {
    super(fields);
    this.fields = fields;
  }

  _llmType(): string {
    return 'aws-copilot-managed';
  }

  /** The same model with a budget checked before, and recorded after, every call. */
  withBudget(budget: TokenBudget): ManagedChatModel {
    return new ManagedChatModel({ ...this.fields, budget });
  }

  /** The same model pinned to a tier. */
  withTier(tier: ModelTier): ManagedChatModel {
    return new ManagedChatModel({ ...this.fields, tier });
  }

  override bindTools(
    tools: BindToolsInput[],
    kwargs?: Partial<BaseChatModelCallOptions>,
  ): Runnable<BaseLanguageModelInput, AIMessageChunk, BaseChatModelCallOptions> {
    const schemas = tools.map(toToolSchema);
    const forced = this.fields.forceSingleTool && schemas.length === 1 && kwargs?.tool_choice === undefined;
    const bind = (model: ChatRunnable): ChatRunnable => {
      const bindable = model as Partial<Pick<BaseChatModel, 'bindTools'>> & {
        supportsToolChoiceValues?: string[];
      };
      if (typeof bindable.bindTools !== 'function')
        throw new CopilotError(
          'internal',
          'tools are already bound to this model; bind them once, on the model itself',
        );
      // Bedrock models that cannot be told which tool to call are asked without forcing.
      const canForce = bindable.supportsToolChoiceValues?.includes('tool') ?? true;
      const choice = forced && canForce ? { tool_choice: schemas[0]?.name } : {};
      return bindable.bindTools(tools, { ...kwargs, ...choice }) as ChatRunnable;
    };
    const { standard, economy } = this.fields;
    return new ManagedChatModel({
      ...this.fields,
      standard: bind(standard),
      ...(economy ? { economy: bind(economy) } : {}),
      tools: schemas,
    });
  }

  /**
   * LangChain's generic structured output binds one tool without forcing it, and a hosted model may then answer in
   * prose; this one forces the tool (the signature mirrors the base class's overloads).
   */
  // biome-ignore lint/suspicious/noExplicitAny: the base method is overloaded on these types
  override withStructuredOutput(outputSchema: any, config?: any): any {
    const forcing = new ManagedChatModel({ ...this.fields, forceSingleTool: true });
    return BaseChatModel.prototype.withStructuredOutput.call(forcing, outputSchema, config);
  }

  /** Picks the model for this call, then claims its input tokens: a call over budget fails here, before any request. */
  #begin(messages: BaseMessage[]): Call {
    const { standard, economy, budget, tools = [] } = this.fields;
    const tier = this.fields.tier ?? 'auto';
    const useEconomy =
      economy !== undefined && (tier === 'economy' || (tier === 'auto' && budget?.isTight()));
    const runnable = useEconomy ? economy : economy ? standard.withFallbacks([economy]) : standard;
    const inputTokens = countMessageTokens(messages, tools);
    const reservation = budget?.reserve(inputTokens);
    return {
      runnable,
      tier: useEconomy ? 'economy' : 'standard',
      inputTokens,
      hash: promptHash(messages, tools),
      reservation,
    };
  }

  /** Records what the call consumed; a call that failed before any answer gives its reservation back. */
  #settle(call: Call, message: AIMessageChunk | undefined): void {
    const { budget } = this.fields;
    if (message === undefined) {
      if (call.reservation) budget?.release(call.reservation);
      return;
    }
    const usage = usageOf(message, call.inputTokens);
    budget?.record(usage, call.reservation);
    const record: ModelCallRecord = {
      promptHash: call.hash,
      model: modelNameOf(message, call.runnable),
      tier: call.tier,
      inputTokens: usage.input_tokens,
      outputTokens: usage.output_tokens,
      usageSource: usage.source,
      deploymentId: call.reservation?.deploymentId ?? budget?.deploymentId,
    };
    if (this.fields.onCall) this.fields.onCall(record);
    else logger.debug({ event: 'model-call', ...record }, 'model call');
  }

  /**
   * The provider model's run is an implementation detail: this run is the one traced and streamed (LangGraph's
   * message stream included), so the inner run gets no handlers, not even those of the caller's context.
   */
  #innerConfig(options: this['ParsedCallOptions']) {
    return { ...options, callbacks: [] };
  }

  /** Streams from the chosen model and settles the budget however the stream ends. */
  async *#run(
    conversation: BaseMessage[],
    options: this['ParsedCallOptions'],
  ): AsyncGenerator<AIMessageChunk> {
    // Pruned before the budget and the hash see it: what is counted and logged is what is sent.
    const { contextLimit = CONTEXT_TOKEN_LIMIT, tools = [] } = this.fields;
    const room = Math.max(MIN_MESSAGE_ROOM, contextLimit - countToolSchemaTokens(tools));
    // Nothing leaves unredacted, and tool output goes out fenced as data (after pruning, so fences stay whole).
    const messages = pruneForRequest(conversation, room, prepareForModel);
    const call = this.#begin(messages);
    let aggregate: AIMessageChunk | undefined;
    try {
      for await (const piece of await call.runnable.stream(messages, this.#innerConfig(options))) {
        const chunk = asChunk(piece);
        aggregate = aggregate === undefined ? chunk : aggregate.concat(chunk);
        yield chunk;
      }
    } finally {
      // A stream cut short still cost what it produced; one that never started cost nothing.
      this.#settle(call, aggregate);
    }
  }

  /**
   * Non-streaming calls stream too: the providers' own non-streaming path estimates usage with a tokenizer fetched
   * over the network, which must not happen.
   */
  async _generate(messages: BaseMessage[], options: this['ParsedCallOptions']): Promise<ChatResult> {
    let message: AIMessageChunk | undefined;
    for await (const chunk of this.#run(messages, options))
      message = message === undefined ? chunk : message.concat(chunk);
    if (message === undefined) throw new CopilotError('internal', 'the model returned an empty answer');
    return { generations: [{ text: message.text, message }] };
  }

  override async *_streamResponseChunks(
    messages: BaseMessage[],
    options: this['ParsedCallOptions'],
    runManager?: CallbackManagerForLLMRun,
  ): AsyncGenerator<ChatGenerationChunk> {
    for await (const chunk of this.#run(messages, options)) {
      const generation = new ChatGenerationChunk({ message: chunk, text: chunk.text });
      yield generation;
      await runManager?.handleLLMNewToken(generation.text, undefined, undefined, undefined, undefined, {
        chunk: generation,
      });
    }
  }

  /** Counted locally with o200k; the base class would download a tokenizer. */
  override async getNumTokens(content: MessageContent): Promise<number> {
    return countContentTokens(content);
  }
}
