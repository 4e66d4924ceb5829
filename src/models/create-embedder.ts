/** Picks the embedder: the configured provider's when it serves embeddings, otherwise the local one (no network). */
import { withoutAuthorization } from './create-chat-model.js';
import type { Embedder } from './embeddings.js';
import { LocalEmbedder } from './local-embedder.js';
import type { ModelSettings } from './model-settings.js';
import { OpenAiEmbedder } from './openai-embedder.js';

/** OpenAI's embedding model when none is configured. */
export const DEFAULT_OPENAI_EMBEDDING_MODEL = 'text-embedding-3-small';

/**
 * OpenAI: its embedding model (text-embedding-3-small unless AWS_COPILOT_EMBEDDING_MODEL says otherwise). An
 * OpenAI-compatible server: only when AWS_COPILOT_EMBEDDING_MODEL names a model it serves. Anthropic has no
 * embeddings API, and Bedrock's are not wired yet: those, and the offline provider, embed locally.
 */
export function createEmbedder(settings: ModelSettings, dimensions: number): Embedder {
  const common = {
    dimensions,
    maxRetries: settings.maxRetries,
    timeoutMs: settings.timeoutMs,
    ...(settings.baseUrl ? { baseUrl: settings.baseUrl } : {}),
  };
  if (settings.provider === 'openai')
    return new OpenAiEmbedder({
      ...common,
      model: settings.embeddingModel ?? DEFAULT_OPENAI_EMBEDDING_MODEL,
      ...(settings.apiKey ? { apiKey: settings.apiKey } : {}),
    });
  if (settings.provider === 'openai-compatible' && settings.embeddingModel) {
    const keyless = !settings.apiKey;
    return new OpenAiEmbedder({
      ...common,
      model: settings.embeddingModel,
      ...(keyless ? { keyless, fetch: withoutAuthorization } : { apiKey: settings.apiKey }),
    });
  }
  return new LocalEmbedder(dimensions);
}
