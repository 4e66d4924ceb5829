/** Provider embeddings against a local server speaking OpenAI's /v1/embeddings API, and the embedder choice. */
import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createEmbedder } from '../../src/models/create-embedder.js';
import { cosineSimilarity } from '../../src/models/embeddings.js';
import { LocalEmbedder, localEmbedding } from '../../src/models/local-embedder.js';
import { loadModelSettings } from '../../src/models/model-settings.js';
import { OpenAiEmbedder } from '../../src/models/openai-embedder.js';
import { type FakeModelServer, type RecordedRequest, startFakeModelServer } from './fake-model-server.js';

const API_KEY = 'sk-test-embeddings-0123456789';

/** Float32 little-endian, base64: what OpenAI sends when asked for encoding_format "base64". */
function base64Floats(vector: number[]): string {
  return Buffer.from(new Float32Array(vector).buffer).toString('base64');
}

/**
 * POST /v1/embeddings as OpenAI answers it: `input` a string or an array, `dimensions` honoured (vectors from the
 * local embedding, so similar texts stay similar), `encoding_format` float or base64, usage counted. With
 * `fixedDimensions` it behaves like a model that ignores `dimensions`.
 */
function renderEmbeddings(options: { fixedDimensions?: number; status?: number } = {}) {
  return async (request: RecordedRequest, _reply: unknown, response: ServerResponse) => {
    const json = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    if (request.method !== 'POST' || !request.path.endsWith('/embeddings'))
      return json(404, { error: { message: `no route ${request.path}`, type: 'invalid_request_error' } });
    if (options.status)
      return json(options.status, { error: { message: 'The server had an error', type: 'server_error' } });
    const inputs: string[] = Array.isArray(request.body.input) ? request.body.input : [request.body.input];
    const dimensions = options.fixedDimensions ?? request.body.dimensions ?? 1536;
    const data = inputs.map((text, index) => {
      const vector = localEmbedding(text, dimensions);
      return {
        object: 'embedding',
        index,
        embedding: request.body.encoding_format === 'base64' ? base64Floats(vector) : vector,
      };
    });
    const tokens = inputs.reduce((sum, text) => sum + text.split(/\s+/).length, 0);
    json(200, {
      object: 'list',
      data,
      model: request.body.model,
      usage: { prompt_tokens: tokens, total_tokens: tokens },
    });
  };
}

let server: FakeModelServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(options: Parameters<typeof renderEmbeddings>[0] = {}): Promise<FakeModelServer> {
  server = await startFakeModelServer(renderEmbeddings(options), () => ({}));
  return server;
}

describe('OpenAiEmbedder', () => {
  it('asks for text-embedding-3-small at the store length, with the key, and returns vectors in order', async () => {
    const fake = await start();
    const settings = loadModelSettings(
      {},
      {
        env: {
          OPENAI_API_KEY: API_KEY,
          OPENAI_BASE_URL: `${fake.url}/v1`,
          AWS_COPILOT_MODEL_MAX_RETRIES: '0',
        },
      },
    );
    const embedder = createEmbedder(settings, 64);
    expect(embedder).toBeInstanceOf(OpenAiEmbedder);
    expect(embedder.id).toBe('openai:text-embedding-3-small:64');
    const texts = [
      'FastAPI on Lambda answers 502 after the deploy',
      'The Lambda running FastAPI returns 502 errors since the deployment',
      'Vite site published to an S3 bucket',
    ];
    const vectors = await embedder.embed(texts);
    expect(vectors).toHaveLength(3);
    expect(vectors.every((vector) => vector.length === 64 && Array.isArray(vector))).toBe(true);
    expect(vectors[0]).toEqual(localEmbedding(texts[0] as string, 64));
    const [first, second, third] = vectors as [number[], number[], number[]];
    expect(cosineSimilarity(first, second)).toBeGreaterThan(cosineSimilarity(first, third));

    expect(fake.requests).toHaveLength(1);
    const [request] = fake.requests;
    expect(request?.path).toBe('/v1/embeddings');
    expect(request?.body).toEqual({
      model: 'text-embedding-3-small',
      input: texts,
      dimensions: 64,
      encoding_format: 'float',
    });
    expect(request?.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(await embedder.embed([])).toEqual([]);
  });

  it('fails the call when the server fails, after the configured retries', async () => {
    const fake = await start({ status: 500 });
    const embedder = new OpenAiEmbedder({
      model: 'text-embedding-3-small',
      dimensions: 16,
      apiKey: API_KEY,
      baseUrl: `${fake.url}/v1`,
      maxRetries: 1,
    });
    await expect(embedder.embed(['hello world'])).rejects.toThrow(/500|server had an error/i);
    expect(fake.requests).toHaveLength(2);
  });

  it('uses an openai-compatible server only when an embedding model is named, without a key when it has none', async () => {
    const fake = await start();
    const compatible = (env: Record<string, string>) =>
      createEmbedder(
        loadModelSettings(
          {},
          {
            env: {
              AWS_COPILOT_MODEL_PROVIDER: 'openai-compatible',
              AWS_COPILOT_MODEL: 'llama3.1',
              AWS_COPILOT_MODEL_BASE_URL: `${fake.url}/v1`,
              OPENAI_API_KEY: 'sk-must-not-leak-to-third-parties',
              ...env,
            },
          },
        ),
        32,
      );
    expect(compatible({})).toBeInstanceOf(LocalEmbedder);
    const embedder = compatible({ AWS_COPILOT_EMBEDDING_MODEL: 'nomic-embed-text' });
    expect(embedder.id).toBe('openai:nomic-embed-text:32');
    await embedder.embed(['deploy the shop']);
    expect(fake.requests[0]?.body.model).toBe('nomic-embed-text');
    expect(fake.requests[0]?.headers.authorization).toBeUndefined();
  });

  it('says what to set when the model returns vectors of another length', async () => {
    const fake = await start({ fixedDimensions: 24 });
    const embedder = new OpenAiEmbedder({
      model: 'fixed-model',
      dimensions: 32,
      apiKey: API_KEY,
      baseUrl: `${fake.url}/v1`,
      maxRetries: 0,
    });
    await expect(embedder.embed(['x'])).rejects.toMatchObject({
      code: 'config_invalid',
      message: expect.stringMatching(
        /returned 24 numbers where vector memory holds 32.*AWS_COPILOT_VECTOR_DIMENSIONS=24/,
      ),
    });
  });

  it('falls back to the local embedding offline and for providers without an embeddings API', () => {
    expect(createEmbedder(loadModelSettings({}, { env: {} }), 256)).toBeInstanceOf(LocalEmbedder);
    const anthropic = loadModelSettings({}, { env: { ANTHROPIC_API_KEY: 'sk-ant-test-0123456789' } });
    expect(createEmbedder(anthropic, 128)).toMatchObject({ id: 'local-hash-v1', dimensions: 128 });
  });
});
