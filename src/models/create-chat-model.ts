/** Builds the chat model the settings name, streaming, behind the managed model (budget, fallback, prompt-hash logging). */
import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { ChatAnthropic } from '@langchain/anthropic';
import { ChatBedrockConverse } from '@langchain/aws';
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { ChatOpenAI } from '@langchain/openai';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { ManagedChatModel, type ModelCallRecord, type ModelTier } from './managed-chat-model.js';
import type { ModelSettings } from './model-settings.js';
import { OfflineChatModel } from './offline/offline-chat-model.js';
import type { TokenBudget } from './token-budget.js';

export interface CreateChatModelOptions {
  /** 'auto' (default): the configured model, the economy one when the budget is tight; 'economy': the cheaper one. */
  tier?: ModelTier;
  /** Picks the temperature: 'planning' (default, 0.2) or 'creative' (0.5). */
  purpose?: 'planning' | 'creative';
  /** The session's budget, checked before every request. */
  budget?: TokenBudget;
  /** Bedrock's AWS credentials (a static identity or a provider); unset means the SDK's standard chain. */
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** Builds the model for provider 'offline' instead of the built-in one (a test double, a scripted model). */
  offline?: () => BaseChatModel;
  /** Receives one record per call (prompt hash and token counts) instead of the debug log. */
  onCall?: (record: ModelCallRecord) => void;
}

interface Build {
  settings: ModelSettings;
  model: string;
  temperature: number;
  credentials: CreateChatModelOptions['credentials'];
}

/** Drops the Authorization header, so a server that needs no key never receives one (not even OPENAI_API_KEY). */
export const withoutAuthorization: typeof fetch = (input, init) => {
  const headers = new Headers(init?.headers);
  headers.delete('authorization');
  return fetch(input, { ...init, headers });
};

function openAiModel({ settings, model, temperature }: Build): BaseChatModel {
  const keyless = settings.provider === 'openai-compatible' && !settings.apiKey;
  return new ChatOpenAI({
    model,
    temperature,
    streaming: true,
    maxTokens: settings.maxOutputTokens,
    maxRetries: settings.maxRetries,
    timeout: settings.timeoutMs,
    // An explicit key keeps the client from falling back to OPENAI_API_KEY for a third-party server.
    apiKey: keyless ? 'unused' : settings.apiKey,
    configuration: {
      ...(settings.baseUrl ? { baseURL: settings.baseUrl } : {}),
      ...(keyless ? { fetch: withoutAuthorization } : {}),
    },
  });
}

function anthropicModel({ settings, model, temperature }: Build): BaseChatModel {
  return new ChatAnthropic({
    model,
    temperature,
    streaming: true,
    maxTokens: settings.maxOutputTokens,
    maxRetries: settings.maxRetries,
    apiKey: settings.apiKey,
    clientOptions: { timeout: settings.timeoutMs },
    ...(settings.baseUrl ? { anthropicApiUrl: settings.baseUrl } : {}),
  });
}

function bedrockModel({ settings, model, temperature, credentials }: Build): BaseChatModel {
  // Our own client, because the library only builds https endpoints from a host name. The SDK speaks HTTP/2 to
  // Bedrock; a plain-http endpoint is a local server or a proxy, which speak HTTP/1.1 (Converse needs nothing more).
  const plainHttp = settings.baseUrl?.startsWith('http:') ?? false;
  const client = new BedrockRuntimeClient({
    region: settings.region,
    maxAttempts: settings.maxRetries + 1,
    ...(credentials ? { credentials } : {}),
    ...(settings.baseUrl ? { endpoint: settings.baseUrl } : {}),
    ...(plainHttp ? { requestHandler: new NodeHttpHandler() } : {}),
  });
  return new ChatBedrockConverse({
    model,
    temperature,
    streaming: true,
    maxTokens: settings.maxOutputTokens,
    region: settings.region,
    client,
    ...(credentials ? { credentials } : {}),
  });
}

const BUILDERS: Record<Exclude<ModelSettings['provider'], 'offline'>, (build: Build) => BaseChatModel> = {
  openai: openAiModel,
  'openai-compatible': openAiModel,
  anthropic: anthropicModel,
  bedrock: bedrockModel,
};

/** The chat model of the settings' provider, with the fallback model (when there is one) as its economy tier. */
export function createChatModel(
  settings: ModelSettings,
  options: CreateChatModelOptions = {},
): ManagedChatModel {
  const { budget, onCall } = options;
  const common = { ...(budget ? { budget } : {}), ...(onCall ? { onCall } : {}) };
  if (settings.provider === 'offline') {
    const standard = options.offline?.() ?? new OfflineChatModel({});
    return new ManagedChatModel({ standard, tier: 'standard', ...common });
  }
  const temperature =
    options.purpose === 'creative' ? settings.creativeTemperature : settings.planningTemperature;
  const build = (model: string) =>
    BUILDERS[settings.provider as keyof typeof BUILDERS]({
      settings,
      model,
      temperature,
      credentials: options.credentials,
    });
  const economy =
    settings.fallbackModel && settings.fallbackModel !== settings.model
      ? build(settings.fallbackModel)
      : undefined;
  return new ManagedChatModel({
    standard: build(settings.model),
    ...(economy ? { economy } : {}),
    tier: options.tier ?? 'auto',
    ...common,
  });
}
