/** Vector memory with the local embedding on real vector stores: PGlite's pgvector and Qdrant's REST API. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedactor } from '../../src/guardrails/redaction.js';
import { VectorMemory } from '../../src/memory/vector-memory.js';
import { LocalEmbedder } from '../../src/models/local-embedder.js';
import { openPGliteStore } from '../../src/store/pglite/open-pglite-store.js';
import type { VectorRepository } from '../../src/store/ports.js';
import { QdrantVectorRepository } from '../../src/store/qdrant/qdrant-vector-repository.js';
import { type FakeQdrant, startFakeQdrant } from '../store/fake-qdrant-server.js';

const DIMENSIONS = 256;
const PLANTED = ['AKIAPLANTED000000001', 'sk-proj-PlantedSecret0123456789', 'planted-db-password-99'];

const NOTES = [
  {
    kind: 'troubleshooting' as const,
    text: `Deploying a fastapi app to lambda failed: Mangum was missing, so API Gateway answered 502 (key ${PLANTED[0]}).`,
    tags: ['fastapi', 'lambda', 'aws'],
  },
  {
    kind: 'troubleshooting' as const,
    text: `Deploying a vite app to s3-static failed: the bucket policy blocked public reads, 403 on index.html (token ${PLANTED[1]}).`,
    tags: ['vite', 's3-static', 'aws'],
  },
  {
    kind: 'troubleshooting' as const,
    text: `An ECS service kept stopping tasks with exit code 137: raise the task memory (DB password ${PLANTED[2]}).`,
    tags: ['ecs', 'aws'],
  },
  {
    kind: 'summary' as const,
    text: 'The project in shop is fastapi, mangum, python, vite: a backend in backend/ and a frontend in frontend/.',
    tags: ['fastapi', 'vite', 'python', 'aws'],
  },
];

function describeMemory(
  name: string,
  open: () => Promise<{ vectors: VectorRepository; close: () => Promise<void> }>,
) {
  describe(`vector memory on ${name}`, () => {
    let vectors: VectorRepository;
    let close: () => Promise<void>;
    let memory: VectorMemory;
    beforeAll(async () => {
      ({ vectors, close } = await open());
      memory = new VectorMemory({
        vectors,
        embedder: new LocalEmbedder(DIMENSIONS),
        redactor: createRedactor([PLANTED[2] as string]),
      });
      for (const note of NOTES) expect(await memory.remember(note)).toMatchObject({ stored: true });
    });
    afterAll(() => close());

    it('finds the related note first, and narrows by stack tags', async () => {
      const [best] = await memory.recall('fastapi on lambda answers 502 Bad Gateway', {
        kind: 'troubleshooting',
      });
      expect(best?.text).toMatch(/^Deploying a fastapi app to lambda failed: Mangum was missing/);
      expect(best?.tags).toEqual(['aws', 'fastapi', 'lambda']);
      const ecs = await memory.recall('tasks stopped out of memory exit 137', { topK: 1 });
      expect(ecs[0]?.text).toMatch(/^An ECS service kept stopping tasks/);
      const vite = await memory.recall('Deploying the app failed', {
        kind: 'troubleshooting',
        tags: ['vite'],
      });
      expect(vite.map((note) => note.tags)).toEqual([['aws', 's3-static', 'vite']]);
      const summaries = await memory.recall('a fastapi backend and a vite frontend', { kind: 'summary' });
      expect(summaries.map((note) => note.kind)).toEqual(['summary']);
    });

    it('holds no planted secret anywhere', async () => {
      const everything = await vectors.query(unit(), { topK: 100 });
      expect(everything.length).toBeGreaterThanOrEqual(NOTES.length);
      const dump = JSON.stringify(everything);
      for (const secret of PLANTED) expect(dump).not.toContain(secret);
    });
  });
}

const unit = () => Array.from({ length: DIMENSIONS }, () => 1 / Math.sqrt(DIMENSIONS));

describeMemory('PGlite (pgvector)', async () => {
  const store = await openPGliteStore({ directory: 'memory://', vectorDimensions: DIMENSIONS });
  return { vectors: store.vectors, close: () => store.close() };
});

describeMemory('Qdrant', async () => {
  const qdrant: FakeQdrant = await startFakeQdrant();
  const vectors = await QdrantVectorRepository.open({ url: qdrant.url, dimensions: DIMENSIONS });
  return { vectors, close: () => qdrant.close() };
});
