/**
 * Vector memory in MongoDB: embeddings stored as arrays, ranked by cosine similarity computed here
 * over the documents carrying every requested tag. That is a full scan of the candidates, O(n·d)
 * per query with only the top K kept in memory: fine for the thousands of summaries one team
 * gathers, not for millions. Beyond that, use a vector index (Atlas `$vectorSearch`) or Qdrant.
 */
import type { Collection, Db } from 'mongodb';
import { CopilotError } from '../../errors/copilot-error.js';
import type { VectorDocument, VectorMatch, VectorRepository } from '../ports.js';
import { COLLECTIONS, date, iso } from './documents.js';

interface StoredVector {
  _id: string;
  text: string;
  tags: string[];
  embedding: number[];
  dimensions: number;
  at: Date;
}

/** Cosine similarity, or null when either vector has no length (ranked last, as SQL's NULLS LAST). */
function cosine(a: number[], b: number[]): number | null {
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let index = 0; index < a.length; index += 1) {
    const x = a[index] ?? 0;
    const y = b[index] ?? 0;
    dot += x * y;
    normA += x * x;
    normB += y * y;
  }
  const norms = Math.sqrt(normA) * Math.sqrt(normB);
  return norms === 0 ? null : dot / norms;
}

interface Ranked {
  document: StoredVector;
  score: number | null;
}

/** Best first: higher score, unscored last, then by id (the SQL adapters' ORDER BY). */
function compare(left: Ranked, right: Ranked): number {
  if (left.score !== right.score) {
    if (left.score === null) return 1;
    if (right.score === null) return -1;
    return right.score - left.score;
  }
  return left.document._id < right.document._id ? -1 : left.document._id > right.document._id ? 1 : 0;
}

export class MongoVectorRepository implements VectorRepository {
  private readonly vectors: Collection<StoredVector>;

  constructor(
    db: Db,
    readonly dimensions: number,
  ) {
    this.vectors = db.collection(COLLECTIONS.vectors);
  }

  private checked(embedding: number[]): number[] {
    if (embedding.length !== this.dimensions || embedding.some((value) => !Number.isFinite(value))) {
      throw new CopilotError(
        'invalid_input',
        `embedding must be ${this.dimensions} finite numbers (got ${embedding.length})`,
      );
    }
    return embedding;
  }

  async upsert(document: VectorDocument): Promise<void> {
    const embedding = this.checked(document.embedding);
    await this.vectors.updateOne(
      { _id: document.id },
      {
        $set: {
          text: document.text,
          tags: document.tags,
          embedding,
          dimensions: this.dimensions,
          at: date(document.at),
        },
      },
      { upsert: true },
    );
  }

  async query(embedding: number[], options: { topK?: number; tags?: string[] } = {}): Promise<VectorMatch[]> {
    const wanted = this.checked(embedding);
    const topK = options.topK ?? 5;
    const tags = options.tags ?? [];
    const best: Ranked[] = [];
    // Documents written with another dimension setting cannot be compared; they are skipped.
    const candidates = this.vectors.find({
      dimensions: this.dimensions,
      ...(tags.length ? { tags: { $all: tags } } : {}),
    });
    for await (const document of candidates) {
      best.push({ document, score: cosine(wanted, document.embedding) });
      if (best.length > topK) {
        best.sort(compare);
        best.length = topK;
      }
    }
    return best.sort(compare).map(({ document, score }) => ({
      id: document._id,
      text: document.text,
      tags: document.tags,
      embedding: document.embedding,
      at: iso(document.at),
      score: score ?? 0,
    }));
  }
}
