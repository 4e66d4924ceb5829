/** Embeddings from OpenAI's /v1/embeddings API (OpenAI itself or a compatible server), through LangChain's client. */
import { OpenAIEmbeddings } from '@langchain/openai';
import { CopilotError } from '../errors/copilot-error.js';
import type { Embedder } from './embeddings.js';

export interface OpenAiEmbedderOptions {
  model: string;
  dimensions: number;
  /** Unset with `keyless`: the server needs no key and receives no Authorization header. */
  apiKey?: string;
  baseUrl?: string;
  keyless?: boolean;
  maxRetries?: number;
  timeoutMs?: number;
  /** Replaces the HTTP client's fetch (keyless servers, tests). */
  fetch?: typeof fetch;
}

export class OpenAiEmbedder implements Embedder {
  readonly id: string;
  readonly dimensions: number;
  private readonly client: OpenAIEmbeddings;

  constructor(private readonly options: OpenAiEmbedderOptions) {
    this.dimensions = options.dimensions;
    this.id = `openai:${options.model}:${options.dimensions}`;
    this.client = new OpenAIEmbeddings({
      model: options.model,
      // text-embedding-3 models shorten their vectors to the store's length; other models must already match.
      dimensions: options.dimensions,
      // Plain floats: every compatible server speaks them, not all speak base64.
      encodingFormat: 'float',
      maxRetries: options.maxRetries ?? 2,
      ...(options.timeoutMs ? { timeout: options.timeoutMs } : {}),
      // An explicit key keeps the client from picking up OPENAI_API_KEY for a third-party server.
      apiKey: options.keyless ? 'unused' : options.apiKey,
      configuration: {
        ...(options.baseUrl ? { baseURL: options.baseUrl } : {}),
        ...(options.fetch ? { fetch: options.fetch } : {}),
      },
    });
  }

  async embed(texts: string[]): Promise<number[][]> {
    if (texts.length === 0) return [];
    const vectors = await this.client.embedDocuments(texts);
    return vectors.map((vector) => {
      const numbers = Array.from(vector, Number);
      if (numbers.length !== this.dimensions || numbers.some((value) => !Number.isFinite(value)))
        throw new CopilotError(
          'config_invalid',
          `the embedding model '${this.options.model}' returned ${numbers.length} numbers where vector memory holds ${this.dimensions}: set AWS_COPILOT_VECTOR_DIMENSIONS=${numbers.length} on a fresh store, or choose a model that accepts 'dimensions' (AWS_COPILOT_EMBEDDING_MODEL)`,
        );
      return numbers;
    });
  }
}
