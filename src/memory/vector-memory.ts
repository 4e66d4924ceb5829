/**
 * Vector memory: sanitized architecture summaries and troubleshooting notes, tagged by stack (fastapi, vite,
 * aws, ...) and found again by similarity and tags. Text is sanitized before it is embedded or stored, and a
 * note that still holds key material is refused: nothing with a secret is ever embedded.
 */
import { createHash } from 'node:crypto';
import { CopilotError } from '../errors/copilot-error.js';
import type { Redactor } from '../guardrails/redaction.js';
import type { Embedder } from '../models/embeddings.js';
import { truncateTextTokens } from '../models/token-counter.js';
import type { VectorRepository } from '../store/ports.js';
import { sanitizeForMemory } from './sanitize-for-memory.js';

export type MemoryKind = 'summary' | 'troubleshooting';

export interface MemoryNote {
  id: string;
  kind: MemoryKind;
  /** Sanitized text. */
  text: string;
  /** Stack tags, lower case. */
  tags: string[];
  at: string;
}

export interface RecalledNote extends MemoryNote {
  /** Cosine similarity to the query, 1 is identical. */
  score: number;
}

export type RememberResult =
  | { stored: true; id: string /** Spans masked before storing. */; masked: number }
  | { stored: false; reason: string };

export interface RecallOptions {
  kind?: MemoryKind;
  /** Only notes carrying every one of these tags. */
  tags?: string[];
  topK?: number;
  /** Notes scoring below this are left out (default 0: any positive similarity). */
  minScore?: number;
  /** Notes never returned, such as the one being written now. */
  excludeIds?: string[];
}

/** Upper bound of one note: summaries are under 2k tokens, and embedding models take about 8k. */
export const NOTE_TOKEN_LIMIT = 2000;

/** Tags the memory adds itself; they are not returned as the note's tags. */
const KIND_PREFIX = 'kind:';
const SPACE_PREFIX = 'space:';

export function normalizeTags(tags: Iterable<string>): string[] {
  const normal = [...tags]
    .map((tag) => tag.trim().toLowerCase())
    .filter((tag) => /^[a-z0-9][a-z0-9._+-]*$/.test(tag));
  return [...new Set(normal)].sort();
}

export class VectorMemory {
  private readonly vectors: VectorRepository;
  private readonly embedder: Embedder;
  private readonly redactor: Redactor | undefined;
  private readonly now: () => Date;

  constructor(options: {
    vectors: VectorRepository;
    embedder: Embedder;
    redactor?: Redactor;
    now?: () => Date;
  }) {
    if (options.embedder.dimensions !== options.vectors.dimensions)
      throw new CopilotError(
        'config_invalid',
        `the embedder makes ${options.embedder.dimensions}-number vectors but the vector store holds ${options.vectors.dimensions}: set AWS_COPILOT_VECTOR_DIMENSIONS to one value for both`,
      );
    this.vectors = options.vectors;
    this.embedder = options.embedder;
    this.redactor = options.redactor;
    this.now = options.now ?? (() => new Date());
  }

  /** The embedding space's tag: vectors from another embedder are never compared with these. */
  private get spaceTag(): string {
    return `${SPACE_PREFIX}${this.embedder.id}`;
  }

  private sanitize(text: string) {
    return sanitizeForMemory(text, ...(this.redactor ? [this.redactor] : []));
  }

  /**
   * Sanitizes, embeds and stores a note; the same text of the same kind is stored once (its id is the text's
   * hash unless one is given, and a given id replaces the note it names).
   */
  async remember(note: {
    id?: string;
    kind: MemoryKind;
    text: string;
    tags: string[];
  }): Promise<RememberResult> {
    const clean = this.sanitize(note.text);
    if (!clean.ok) return { stored: false, reason: clean.reason };
    const text = truncateTextTokens(clean.text.trim(), NOTE_TOKEN_LIMIT);
    if (text === '') return { stored: false, reason: 'the text is empty' };
    const id = note.id ?? `${note.kind}:${createHash('sha256').update(text).digest('hex').slice(0, 24)}`;
    const [embedding] = await this.embedder.embed([text]);
    if (!embedding) throw new CopilotError('internal', 'the embedder returned no vector');
    await this.vectors.upsert({
      id,
      text,
      tags: [...normalizeTags(note.tags), `${KIND_PREFIX}${note.kind}`, this.spaceTag],
      embedding,
      at: this.now().toISOString(),
    });
    return { stored: true, id, masked: clean.masked };
  }

  /** Notes nearest to the query (itself sanitized before it is embedded), best first. */
  async recall(query: string, options: RecallOptions = {}): Promise<RecalledNote[]> {
    const clean = this.sanitize(query);
    if (!clean.ok || clean.text.trim() === '') return [];
    const [embedding] = await this.embedder.embed([truncateTextTokens(clean.text, NOTE_TOKEN_LIMIT)]);
    if (!embedding) return [];
    const excluded = new Set(options.excludeIds ?? []);
    const topK = options.topK ?? 5;
    const matches = await this.vectors.query(embedding, {
      topK: topK + excluded.size,
      tags: [
        ...normalizeTags(options.tags ?? []),
        ...(options.kind ? [`${KIND_PREFIX}${options.kind}`] : []),
        this.spaceTag,
      ],
    });
    return matches
      .filter((match) => !excluded.has(match.id) && match.score > (options.minScore ?? 0))
      .slice(0, topK)
      .map((match) => ({
        id: match.id,
        kind: (match.tags.find((tag) => tag.startsWith(KIND_PREFIX))?.slice(KIND_PREFIX.length) ??
          'summary') as MemoryKind,
        text: match.text,
        tags: match.tags.filter((tag) => !tag.startsWith(KIND_PREFIX) && !tag.startsWith(SPACE_PREFIX)),
        at: match.at,
        score: match.score,
      }));
  }
}
