/**
 * Vector memory in SQL: pgvector's cosine distance where the extension is present (PGlite ships
 * it), otherwise a real[] column ranked by cosine similarity computed in SQL.
 */
import { CopilotError } from '../../errors/copilot-error.js';
import type { VectorDocument, VectorMatch, VectorRepository } from '../ports.js';
import type { SqlPool } from './pool.js';
import { iso } from './rows.js';

export class SqlVectorRepository implements VectorRepository {
  constructor(
    private readonly pool: SqlPool,
    readonly dimensions: number,
    private readonly pgvector: boolean,
  ) {}

  private literal(embedding: number[]): string | number[] {
    if (embedding.length !== this.dimensions || embedding.some((value) => !Number.isFinite(value))) {
      throw new CopilotError(
        'invalid_input',
        `embedding must be ${this.dimensions} finite numbers (got ${embedding.length})`,
      );
    }
    return this.pgvector ? `[${embedding.join(',')}]` : embedding;
  }

  async upsert(document: VectorDocument): Promise<void> {
    const cast = this.pgvector ? '::vector' : '::real[]';
    await this.pool.query(
      `INSERT INTO vectors (id, text, tags, embedding, dimensions, at) VALUES ($1, $2, $3, $4${cast}, $5, $6)
       ON CONFLICT (id) DO UPDATE SET text = EXCLUDED.text, tags = EXCLUDED.tags, embedding = EXCLUDED.embedding,
         at = EXCLUDED.at`,
      [
        document.id,
        document.text,
        document.tags,
        this.literal(document.embedding),
        this.dimensions,
        document.at,
      ],
    );
  }

  async query(embedding: number[], options: { topK?: number; tags?: string[] } = {}): Promise<VectorMatch[]> {
    const score = this.pgvector
      ? '1 - (embedding <=> $1::vector)'
      : `(SELECT sum(a * b) / nullif(sqrt(sum(a * a)) * sqrt(sum(b * b)), 0)
          FROM unnest(embedding, $1::real[]) AS pair(a, b))`;
    const result = await this.pool.query<{
      id: string;
      text: string;
      tags: string[];
      embedding: string | number[];
      at: Date;
      score: number;
    }>(
      `SELECT id, text, tags, embedding::text AS embedding, at, ${score} AS score FROM vectors
       WHERE tags @> $2::text[] ORDER BY score DESC NULLS LAST, id LIMIT $3`,
      [this.literal(embedding), options.tags ?? [], options.topK ?? 5],
    );
    return result.rows.map((row) => ({
      id: row.id,
      text: row.text,
      tags: row.tags,
      embedding: parseEmbedding(row.embedding),
      at: iso(row.at),
      score: Number(row.score),
    }));
  }
}

/** `[1,2,3]` (pgvector) or `{1,2,3}` (real[]) as text, back to numbers. */
function parseEmbedding(text: string | number[]): number[] {
  if (Array.isArray(text)) return text.map(Number);
  return text
    .replace(/^[[{]|[\]}]$/g, '')
    .split(',')
    .filter(Boolean)
    .map(Number);
}
