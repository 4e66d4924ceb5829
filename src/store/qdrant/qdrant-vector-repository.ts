/**
 * Vector memory in Qdrant over its REST API (QDRANT_URL, optional QDRANT_API_KEY): one collection with cosine
 * distance, points carrying {id, text, tags, at} as payload, and tag filters as `must` conditions on a keyword
 * index. Qdrant point ids are UUIDs or integers, so each document id maps to a UUID derived from its hash.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { CopilotError } from '../../errors/copilot-error.js';
import type { VectorDocument, VectorMatch, VectorRepository } from '../ports.js';

export const DEFAULT_QDRANT_COLLECTION = 'aws_copilot_vectors';

export interface QdrantOptions {
  /** The server, e.g. http://127.0.0.1:6333. */
  url: string;
  apiKey?: string;
  dimensions: number;
  collection?: string;
  timeoutMs?: number;
}

const envelopeSchema = z.object({ result: z.unknown(), status: z.unknown().optional() });
const collectionSchema = z.object({
  config: z.object({
    params: z.object({ vectors: z.object({ size: z.number(), distance: z.string() }).optional() }),
  }),
});
const hitSchema = z.object({
  id: z.union([z.string(), z.number()]),
  score: z.number(),
  payload: z.object({ id: z.string(), text: z.string(), tags: z.array(z.string()), at: z.string() }),
  vector: z.array(z.number()).nullish(),
});

/** A stable UUID per document id (Qdrant accepts any UUID), so upserting the same id replaces the point. */
export function pointId(documentId: string): string {
  const digits = createHash('sha256').update(documentId).digest('hex').slice(0, 32).split('');
  // Name-based UUID layout: version 5, RFC 4122 variant.
  digits[12] = '5';
  digits[16] = ((Number.parseInt(digits[16] as string, 16) & 0x3) | 0x8).toString(16);
  const hex = digits.join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export class QdrantVectorRepository implements VectorRepository {
  readonly dimensions: number;
  private readonly base: string;
  private readonly collection: string;

  private constructor(private readonly options: QdrantOptions) {
    this.dimensions = options.dimensions;
    this.base = options.url.replace(/\/+$/, '');
    this.collection = options.collection ?? DEFAULT_QDRANT_COLLECTION;
  }

  /** Connects and creates the collection (cosine, `dimensions` long, tags indexed) unless it exists. */
  static async open(options: QdrantOptions): Promise<QdrantVectorRepository> {
    const repository = new QdrantVectorRepository(options);
    await repository.ensureCollection();
    return repository;
  }

  private get path(): string {
    return `/collections/${encodeURIComponent(this.collection)}`;
  }

  private async request(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; result: unknown }> {
    const origin = new URL(this.base).origin;
    let response: Response;
    try {
      response = await fetch(`${this.base}${path}`, {
        method,
        headers: {
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(this.options.apiKey ? { 'api-key': this.options.apiKey } : {}),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000),
      });
    } catch (error) {
      throw new CopilotError(
        'store_unavailable',
        `cannot reach Qdrant at ${origin} (${(error as Error).message}): check QDRANT_URL and that the server runs`,
        { retryable: true, cause: error },
      );
    }
    const text = await response.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : {};
    } catch {
      json = {};
    }
    if (response.status === 404) return { status: 404, result: undefined };
    if (!response.ok) {
      const detail =
        (json as { status?: { error?: string } }).status?.error ?? (text.slice(0, 200) || 'no detail');
      if (response.status === 401 || response.status === 403)
        throw new CopilotError(
          'config_invalid',
          `Qdrant at ${origin} refused the request (${response.status}): set QDRANT_API_KEY to the server's API key`,
        );
      throw new CopilotError(
        'store_unavailable',
        `Qdrant at ${origin} answered ${response.status}: ${detail}`,
        {
          retryable: response.status >= 500,
        },
      );
    }
    return { status: response.status, result: envelopeSchema.parse(json).result };
  }

  private async ensureCollection(): Promise<void> {
    let found = await this.request('GET', this.path);
    if (found.status === 404) {
      await this.request('PUT', this.path, { vectors: { size: this.dimensions, distance: 'Cosine' } }).catch(
        // Another process may have created it meanwhile; the read below says whether it fits.
        () => undefined,
      );
      found = await this.request('GET', this.path);
    }
    const vectors = collectionSchema.safeParse(found.result).data?.config.params.vectors;
    if (!vectors || vectors.size !== this.dimensions || vectors.distance !== 'Cosine')
      throw new CopilotError(
        'store_incompatible',
        `Qdrant collection '${this.collection}' holds ${vectors ? `${vectors.size}-number ${vectors.distance} vectors` : 'vectors of another layout'}, not ${this.dimensions}-number Cosine ones: set AWS_COPILOT_VECTOR_DIMENSIONS=${vectors?.size ?? this.dimensions} or use another Qdrant server`,
      );
    // Filtering on tags is what every query does; a keyword index keeps it fast (creating it twice is harmless).
    await this.request('PUT', `${this.path}/index?wait=true`, {
      field_name: 'tags',
      field_schema: 'keyword',
    });
  }

  private checked(embedding: number[]): number[] {
    if (embedding.length !== this.dimensions || embedding.some((value) => !Number.isFinite(value)))
      throw new CopilotError(
        'invalid_input',
        `embedding must be ${this.dimensions} finite numbers (got ${embedding.length})`,
      );
    return embedding;
  }

  async upsert(document: VectorDocument): Promise<void> {
    const vector = this.checked(document.embedding);
    await this.request('PUT', `${this.path}/points?wait=true`, {
      points: [
        {
          id: pointId(document.id),
          vector,
          payload: { id: document.id, text: document.text, tags: document.tags, at: document.at },
        },
      ],
    });
  }

  /** Nearest points by cosine similarity; Qdrant stores vectors normalized, so `embedding` comes back unit length. */
  async query(embedding: number[], options: { topK?: number; tags?: string[] } = {}): Promise<VectorMatch[]> {
    const tags = options.tags ?? [];
    const { result } = await this.request('POST', `${this.path}/points/search`, {
      vector: this.checked(embedding),
      limit: options.topK ?? 5,
      ...(tags.length > 0
        ? { filter: { must: tags.map((tag) => ({ key: 'tags', match: { value: tag } })) } }
        : {}),
      with_payload: true,
      with_vector: true,
    });
    return z
      .array(hitSchema)
      .parse(result)
      .map((hit) => ({
        id: hit.payload.id,
        text: hit.payload.text,
        tags: hit.payload.tags,
        at: hit.payload.at,
        embedding: hit.vector ?? [],
        score: hit.score,
      }));
  }
}
