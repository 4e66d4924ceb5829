import { describe, expect, it } from 'vitest';
import { createRedactor } from '../guardrails/redaction.js';
import { cosineSimilarity, type Embedder } from '../models/embeddings.js';
import { LocalEmbedder } from '../models/local-embedder.js';
import type { VectorDocument, VectorMatch, VectorRepository } from '../store/ports.js';
import { VectorMemory } from './vector-memory.js';

/** Vectors in memory, ranked by cosine, every upsert recorded. */
class MemoryVectors implements VectorRepository {
  readonly upserts: VectorDocument[] = [];
  private readonly documents = new Map<string, VectorDocument>();

  constructor(readonly dimensions: number) {}

  async upsert(document: VectorDocument): Promise<void> {
    this.upserts.push(document);
    this.documents.set(document.id, document);
  }

  async query(embedding: number[], options: { topK?: number; tags?: string[] } = {}): Promise<VectorMatch[]> {
    return [...this.documents.values()]
      .filter((document) => (options.tags ?? []).every((tag) => document.tags.includes(tag)))
      .map((document) => ({ ...document, score: cosineSimilarity(embedding, document.embedding) }))
      .sort((left, right) => right.score - left.score)
      .slice(0, options.topK ?? 5);
  }
}

/** The local embedder, recording every text it is given. */
class RecordingEmbedder implements Embedder {
  readonly inputs: string[] = [];
  private readonly inner: LocalEmbedder;

  constructor(
    readonly dimensions: number,
    readonly id = 'recording',
  ) {
    this.inner = new LocalEmbedder(dimensions);
  }

  async embed(texts: string[]): Promise<number[][]> {
    this.inputs.push(...texts);
    return this.inner.embed(texts);
  }
}

const SECRETS = {
  accessKey: 'AKIAZXCVBNMASDFGHJKL',
  secretKey: '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',
  openai: 'sk-live-Hf83kLm20QwErTy7UiOp',
  envValue: 'orders-db-password-7731',
};

function setup(dimensions = 256) {
  const vectors = new MemoryVectors(dimensions);
  const embedder = new RecordingEmbedder(dimensions);
  const memory = new VectorMemory({
    vectors,
    embedder,
    redactor: createRedactor([SECRETS.envValue]),
    now: () => new Date('2025-06-01T00:00:00Z'),
  });
  return { vectors, embedder, memory };
}

describe('VectorMemory', () => {
  it('never embeds or stores a planted secret, in notes or in queries', async () => {
    const { vectors, embedder, memory } = setup();
    const stored = await memory.remember({
      kind: 'troubleshooting',
      text: `Deploying a fastapi app to lambda failed: the role could not be assumed with ${SECRETS.accessKey} / ${SECRETS.secretKey}; OPENAI_API_KEY=${SECRETS.openai}; the database password ${SECRETS.envValue} was rejected.`,
      tags: ['FastAPI', 'lambda', 'aws'],
    });
    expect(stored).toMatchObject({ stored: true });
    await memory.recall(`why did fastapi fail with ${SECRETS.openai} and ${SECRETS.accessKey}`);
    const everything = JSON.stringify([vectors.upserts, embedder.inputs]);
    for (const secret of Object.values(SECRETS)) expect(everything).not.toContain(secret);
    expect(vectors.upserts[0]?.text).toMatch(/^Deploying a fastapi app to lambda failed/);
    expect(vectors.upserts[0]?.tags).toEqual([
      'aws',
      'fastapi',
      'lambda',
      'kind:troubleshooting',
      'space:recording',
    ]);
  });

  it('refuses a note with a private key: nothing is embedded, nothing stored', async () => {
    const { vectors, embedder, memory } = setup();
    const result = await memory.remember({
      kind: 'summary',
      text: 'deploy key -----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjE=\n-----END OPENSSH PRIVATE KEY-----',
      tags: ['aws'],
    });
    expect(result).toEqual({ stored: false, reason: 'the text holds a private key' });
    expect(vectors.upserts).toEqual([]);
    expect(embedder.inputs).toEqual([]);
  });

  it('recalls the related note first, by kind and tags, without the ones excluded', async () => {
    const { memory } = setup();
    await memory.remember({
      id: 'lambda-502',
      kind: 'troubleshooting',
      text: 'The FastAPI app on Lambda answered 502 because the Mangum handler was missing from main.py',
      tags: ['fastapi', 'lambda'],
    });
    await memory.remember({
      id: 'vite-403',
      kind: 'troubleshooting',
      text: 'The Vite site on S3 answered 403 because the bucket policy did not allow public reads',
      tags: ['vite', 's3-static'],
    });
    await memory.remember({
      id: 'shop',
      kind: 'summary',
      text: 'A FastAPI backend on Lambda with Mangum and a Vite frontend',
      tags: ['fastapi', 'vite'],
    });
    const notes = await memory.recall('FastAPI on Lambda returns 502 errors', { kind: 'troubleshooting' });
    expect(notes.map((note) => note.id)).toEqual(['lambda-502', 'vite-403']);
    expect(notes[0]).toMatchObject({
      kind: 'troubleshooting',
      tags: ['fastapi', 'lambda'],
      at: '2025-06-01T00:00:00.000Z',
    });
    expect((notes[0]?.score ?? 0) - (notes[1]?.score ?? 0)).toBeGreaterThan(0.2);
    // Tags narrow, similarity orders: the summary speaks of FastAPI on Lambda too.
    expect(
      (await memory.recall('FastAPI on Lambda returns 502 errors', { tags: ['vite'] })).map(
        (note) => note.id,
      ),
    ).toEqual(['shop', 'vite-403']);
    expect(
      (await memory.recall('FastAPI Lambda Mangum', { excludeIds: ['lambda-502'], minScore: 0.3 })).map(
        (note) => note.id,
      ),
    ).toEqual(['shop']);
  });

  it('keeps notes of another embedding space apart and stores the same text once', async () => {
    const vectors = new MemoryVectors(64);
    const local = new VectorMemory({ vectors, embedder: new RecordingEmbedder(64, 'local') });
    const hosted = new VectorMemory({ vectors, embedder: new RecordingEmbedder(64, 'hosted') });
    await local.remember({ kind: 'summary', text: 'fastapi on lambda', tags: ['fastapi'] });
    await local.remember({ kind: 'summary', text: 'fastapi on lambda', tags: ['fastapi'] });
    expect(await hosted.recall('fastapi on lambda')).toEqual([]);
    expect(await local.recall('fastapi on lambda')).toHaveLength(1);
  });

  it('refuses an embedder whose vectors do not fit the store', () => {
    expect(
      () => new VectorMemory({ vectors: new MemoryVectors(8), embedder: new LocalEmbedder(256) }),
    ).toThrow(/makes 256-number vectors but the vector store holds 8/);
  });
});
