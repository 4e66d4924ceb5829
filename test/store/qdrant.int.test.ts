/** The Qdrant vector adapter against a local server speaking Qdrant's REST API, and openStore choosing it. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadSettings } from '../../src/config/settings.js';
import { LocalEmbedder } from '../../src/models/local-embedder.js';
import { checkVectorConformance } from '../../src/store/conformance/store-conformance.js';
import { openStore } from '../../src/store/open-store.js';
import {
  DEFAULT_QDRANT_COLLECTION,
  pointId,
  QdrantVectorRepository,
} from '../../src/store/qdrant/qdrant-vector-repository.js';
import { type FakeQdrant, startFakeQdrant } from './fake-qdrant-server.js';

let qdrant: FakeQdrant | undefined;
afterEach(async () => {
  await qdrant?.close();
  qdrant = undefined;
});

async function start(options: { apiKey?: string } = {}): Promise<FakeQdrant> {
  qdrant = await startFakeQdrant(options);
  return qdrant;
}

describe('QdrantVectorRepository', () => {
  it('passes the store conformance vector case', async () => {
    const server = await start();
    await checkVectorConformance(await QdrantVectorRepository.open({ url: server.url, dimensions: 8 }));
  });

  it('creates a cosine collection of the configured length with a tag index, once', async () => {
    const server = await start();
    await QdrantVectorRepository.open({ url: server.url, dimensions: 16 });
    await QdrantVectorRepository.open({ url: `${server.url}/`, dimensions: 16 });
    const creates = server.requests.filter(
      (request) => request.method === 'PUT' && request.path === `/collections/${DEFAULT_QDRANT_COLLECTION}`,
    );
    expect(creates.map((request) => request.body)).toEqual([{ vectors: { size: 16, distance: 'Cosine' } }]);
    const collection = server.collections.get(DEFAULT_QDRANT_COLLECTION);
    expect(collection).toMatchObject({ size: 16, distance: 'Cosine' });
    expect(collection?.indexes.get('tags')).toBe('keyword');
  });

  it('stores {text, tags, at} under a UUID derived from the id, replacing on upsert, and filters with must', async () => {
    const server = await start();
    const vectors = await QdrantVectorRepository.open({
      url: server.url,
      dimensions: 8,
      collection: 'memory',
    });
    const at = '2025-01-02T03:04:05.000Z';
    const embedding = [3, 4, 0, 0, 0, 0, 0, 0];
    await vectors.upsert({ id: 'summary:shop', text: 'first', tags: ['fastapi'], embedding, at });
    await vectors.upsert({ id: 'summary:shop', text: 'second', tags: ['fastapi', 'vite'], embedding, at });
    const points = [...(server.collections.get('memory')?.points.values() ?? [])];
    expect(points).toHaveLength(1);
    expect(points[0]).toMatchObject({
      id: pointId('summary:shop'),
      payload: { id: 'summary:shop', text: 'second', tags: ['fastapi', 'vite'], at },
    });
    expect(pointId('summary:shop')).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );

    const [match] = await vectors.query([6, 8, 0, 0, 0, 0, 0, 0], { tags: ['fastapi', 'vite'] });
    expect(match).toMatchObject({ id: 'summary:shop', text: 'second', at });
    expect(match?.score).toBeCloseTo(1, 6);
    // Qdrant keeps cosine vectors normalized.
    expect(match?.embedding.slice(0, 2)).toEqual([0.6, 0.8]);
    const search = server.requests.filter((request) => request.path.endsWith('/points/search')).at(-1);
    expect(search?.body).toMatchObject({
      limit: 5,
      filter: {
        must: [
          { key: 'tags', match: { value: 'fastapi' } },
          { key: 'tags', match: { value: 'vite' } },
        ],
      },
      with_payload: true,
    });
    expect(await vectors.query(embedding, { tags: ['django'] })).toEqual([]);
  });

  it('sends the API key and says which variable to set when the server refuses it', async () => {
    const server = await start({ apiKey: 'qdrant-key-123456' });
    await QdrantVectorRepository.open({ url: server.url, dimensions: 8, apiKey: 'qdrant-key-123456' });
    expect(server.requests.every((request) => request.headers['api-key'] === 'qdrant-key-123456')).toBe(true);
    await expect(QdrantVectorRepository.open({ url: server.url, dimensions: 8 })).rejects.toMatchObject({
      code: 'config_invalid',
      message: expect.stringMatching(/QDRANT_API_KEY/),
    });
  });

  it('refuses a collection made for another vector length, and an unreachable server, with what to do', async () => {
    const server = await start();
    await QdrantVectorRepository.open({ url: server.url, dimensions: 8 });
    await expect(QdrantVectorRepository.open({ url: server.url, dimensions: 16 })).rejects.toMatchObject({
      code: 'store_incompatible',
      message: expect.stringMatching(
        /holds 8-number Cosine vectors, not 16.*AWS_COPILOT_VECTOR_DIMENSIONS=8/,
      ),
    });
    await server.close();
    qdrant = undefined;
    await expect(QdrantVectorRepository.open({ url: server.url, dimensions: 8 })).rejects.toMatchObject({
      code: 'store_unavailable',
      message: expect.stringMatching(/cannot reach Qdrant.*QDRANT_URL/),
    });
  });
});

describe('openStore with qdrantUrl', () => {
  it('keeps vector memory in Qdrant and everything else in the store', async () => {
    const server = await start();
    const dataDir = mkdtempSync(join(tmpdir(), 'aws-copilot-qdrant-'));
    const settings = loadSettings(
      {},
      {
        env: { QDRANT_URL: server.url, AWS_COPILOT_DATA_DIR: dataDir, AWS_COPILOT_VECTOR_DIMENSIONS: '64' },
        configPath: false,
      },
    );
    expect(settings.qdrantUrl).toBe(server.url);
    const store = await openStore(settings, {});
    try {
      expect(store.vectors).toBeInstanceOf(QdrantVectorRepository);
      expect(store.kind).toBe('pglite');
      const [embedding] = await new LocalEmbedder(64).embed(['fastapi on lambda']);
      await store.vectors.upsert({
        id: 'note-1',
        text: 'fastapi on lambda',
        tags: ['fastapi'],
        embedding: embedding as number[],
        at: new Date().toISOString(),
      });
      expect(server.collections.get(DEFAULT_QDRANT_COLLECTION)?.points.size).toBe(1);
      expect(await store.schemaVersion()).toBeGreaterThan(0);
    } finally {
      await store.close();
    }
  });

  it('closes the store it opened when Qdrant cannot be used', async () => {
    const server = await start({ apiKey: 'right-key-123456' });
    const dataDir = mkdtempSync(join(tmpdir(), 'aws-copilot-qdrant-'));
    const settings = { dataDir, vectorDimensions: 8, qdrantUrl: server.url };
    await expect(openStore(settings, { QDRANT_API_KEY: 'wrong-key-654321' })).rejects.toMatchObject({
      code: 'config_invalid',
    });
    // The embedded store's lock was released: it opens again.
    const store = await openStore(settings, { QDRANT_API_KEY: 'right-key-123456' });
    await store.close();
  });
});
