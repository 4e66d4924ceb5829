/**
 * A local HTTP server answering the few Qdrant REST endpoints aws-copilot uses, the way Qdrant does: collections
 * (create, get), a payload index, points upsert and search with `must` / `should` / `must_not` filters. Cosine
 * collections keep vectors normalized and score by dot product, as Qdrant does. Every request is recorded.
 */
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

interface Point {
  id: string | number;
  version: number;
  vector: number[];
  payload: Record<string, unknown>;
}

interface Collection {
  size: number;
  distance: 'Cosine' | 'Dot' | 'Euclid' | 'Manhattan';
  points: Map<string, Point>;
  indexes: Map<string, string>;
  operations: number;
}

export interface QdrantRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  // biome-ignore lint/suspicious/noExplicitAny: request bodies are whatever JSON the client sent
  body: any;
}

export interface FakeQdrant {
  url: string;
  requests: QdrantRequest[];
  collections: Map<string, Collection>;
  close(): Promise<void>;
}

interface Condition {
  key: string;
  match?: { value?: unknown; any?: unknown[] };
}

interface Filter {
  must?: Condition[];
  should?: Condition[];
  must_not?: Condition[];
}

const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

function normalized(vector: number[]): number[] {
  const norm = Math.sqrt(vector.reduce((sum, value) => sum + value * value, 0));
  return norm === 0 ? vector : vector.map((value) => value / norm);
}

function score(distance: Collection['distance'], stored: number[], query: number[]): number {
  const pairs = stored.map((value, index) => [value, query[index] ?? 0] as const);
  switch (distance) {
    case 'Cosine':
    case 'Dot':
      return pairs.reduce((sum, [a, b]) => sum + a * b, 0);
    case 'Euclid':
      return Math.sqrt(pairs.reduce((sum, [a, b]) => sum + (a - b) ** 2, 0));
    case 'Manhattan':
      return pairs.reduce((sum, [a, b]) => sum + Math.abs(a - b), 0);
  }
}

/** A keyword match: the payload value equals it, or an array payload value contains it. */
function matches(point: Point, condition: Condition): boolean {
  const value = point.payload[condition.key];
  const values = Array.isArray(value) ? value : [value];
  if (condition.match && 'value' in condition.match) return values.includes(condition.match.value);
  if (condition.match?.any) return condition.match.any.some((wanted) => values.includes(wanted));
  return false;
}

function passes(point: Point, filter: Filter | undefined): boolean {
  if (!filter) return true;
  if (filter.must && !filter.must.every((condition) => matches(point, condition))) return false;
  if (filter.must_not?.some((condition) => matches(point, condition))) return false;
  if (filter.should?.length && !filter.should.some((condition) => matches(point, condition))) return false;
  return true;
}

interface Reply {
  status: number;
  body: unknown;
}

function send(response: ServerResponse, reply: Reply): void {
  response.writeHead(reply.status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(reply.body));
}

const ok = (result: unknown): Reply => ({ status: 200, body: { result, status: 'ok', time: 0.0001 } });
const fail = (status: number, error: string): Reply => ({
  status,
  body: { status: { error }, time: 0.0001 },
});

function collectionInfo(collection: Collection) {
  return {
    status: 'green',
    optimizer_status: 'ok',
    indexed_vectors_count: 0,
    points_count: collection.points.size,
    segments_count: 1,
    config: {
      params: {
        vectors: { size: collection.size, distance: collection.distance },
        shard_number: 1,
        replication_factor: 1,
        write_consistency_factor: 1,
        on_disk_payload: true,
      },
      hnsw_config: { m: 16, ef_construct: 100, full_scan_threshold: 10000 },
      optimizer_config: { deleted_threshold: 0.2, vacuum_min_vector_number: 1000 },
      wal_config: { wal_capacity_mb: 32, wal_segments_ahead: 0 },
    },
    payload_schema: Object.fromEntries(
      [...collection.indexes].map(([field, type]) => [
        field,
        { data_type: type, params: { type }, points: 0 },
      ]),
    ),
  };
}

function route(collections: Map<string, Collection>, request: QdrantRequest): Reply {
  const url = new URL(request.path, 'http://qdrant');
  const wait = url.searchParams.get('wait') === 'true';
  const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] !== 'collections' || !parts[1]) return fail(404, `Not found: ${url.pathname}`);
  const name = parts[1];
  const collection = collections.get(name);
  const rest = parts.slice(2).join('/');
  const operation = () => {
    if (!collection) return { operation_id: 0, status: 'completed' };
    collection.operations += 1;
    return { operation_id: collection.operations, status: wait ? 'completed' : 'acknowledged' };
  };
  if (rest === '' && request.method === 'PUT') {
    if (collection) return fail(409, `Wrong input: Collection \`${name}\` already exists!`);
    const vectors = request.body?.vectors;
    if (!Number.isInteger(vectors?.size) || vectors.size < 1)
      return fail(422, 'Validation error in JSON body: [vectors.size: value 0 invalid, must be 1 or larger]');
    if (!['Cosine', 'Dot', 'Euclid', 'Manhattan'].includes(vectors.distance))
      return fail(400, `Format error in JSON body: unknown variant \`${vectors.distance}\``);
    collections.set(name, {
      size: vectors.size,
      distance: vectors.distance,
      points: new Map(),
      indexes: new Map(),
      operations: 0,
    });
    return ok(true);
  }
  if (!collection) return fail(404, `Not found: Collection \`${name}\` doesn't exist!`);
  if (rest === '' && request.method === 'GET') return ok(collectionInfo(collection));
  if (rest === 'index' && request.method === 'PUT') {
    collection.indexes.set(String(request.body?.field_name), String(request.body?.field_schema));
    return ok(operation());
  }
  if (rest === 'points' && request.method === 'PUT') {
    const points: Array<{ id: unknown; vector: unknown; payload?: Record<string, unknown> }> =
      request.body?.points ?? [];
    for (const point of points) {
      const validId =
        (typeof point.id === 'number' && Number.isInteger(point.id) && point.id >= 0) ||
        (typeof point.id === 'string' && UUID.test(point.id));
      if (!validId)
        return fail(
          400,
          `Format error in JSON body: value ${String(point.id)} is not a valid point ID, valid values are either an unsigned integer or a UUID`,
        );
      const vector = point.vector as number[];
      if (!Array.isArray(vector) || vector.length !== collection.size)
        return fail(
          400,
          `Wrong input: Vector dimension error: expected dim: ${collection.size}, got ${Array.isArray(vector) ? vector.length : 0}`,
        );
    }
    for (const point of points) {
      const key = String(point.id).toLowerCase().replaceAll('-', '');
      const previous = collection.points.get(key);
      const vector = point.vector as number[];
      collection.points.set(key, {
        id: point.id as string | number,
        version: (previous?.version ?? -1) + 1,
        vector: collection.distance === 'Cosine' ? normalized(vector) : vector,
        payload: point.payload ?? {},
      });
    }
    return ok(operation());
  }
  if (rest === 'points/search' && request.method === 'POST') {
    const body = request.body ?? {};
    const query: number[] = body.vector;
    if (!Array.isArray(query) || query.length !== collection.size)
      return fail(
        400,
        `Wrong input: Vector dimension error: expected dim: ${collection.size}, got ${Array.isArray(query) ? query.length : 0}`,
      );
    if (!Number.isInteger(body.limit) || body.limit < 1)
      return fail(422, 'Validation error in JSON body: [limit: value 0 invalid, must be 1 or larger]');
    const wanted = collection.distance === 'Cosine' ? normalized(query) : query;
    const larger = collection.distance === 'Euclid' || collection.distance === 'Manhattan' ? -1 : 1;
    const hits = [...collection.points.values()]
      .filter((point) => passes(point, body.filter))
      .map((point) => ({ point, score: score(collection.distance, point.vector, wanted) }))
      .filter(
        ({ score }) => body.score_threshold === undefined || score * larger >= body.score_threshold * larger,
      )
      .sort((left, right) => (right.score - left.score) * larger)
      .slice(body.offset ?? 0, (body.offset ?? 0) + body.limit)
      .map(({ point, score }) => ({
        id: point.id,
        version: point.version,
        score,
        payload: body.with_payload ? point.payload : null,
        vector: body.with_vector ? point.vector : null,
      }));
    return ok(hits);
  }
  return fail(404, `Not found: ${request.method} ${url.pathname}`);
}

/** Starts the server; with `apiKey`, requests without that `api-key` header are refused as Qdrant refuses them. */
export async function startFakeQdrant(options: { apiKey?: string } = {}): Promise<FakeQdrant> {
  const requests: QdrantRequest[] = [];
  const collections = new Map<string, Collection>();
  const server = createServer((incoming, response) => {
    const parts: Buffer[] = [];
    incoming.on('data', (part: Buffer) => parts.push(part));
    incoming.on('end', () => {
      const text = Buffer.concat(parts).toString('utf8');
      let body: unknown;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        return send(response, fail(400, 'Format error in JSON body: expected value at line 1 column 1'));
      }
      const request: QdrantRequest = {
        method: incoming.method ?? 'GET',
        path: incoming.url ?? '/',
        headers: incoming.headers,
        body,
      };
      requests.push(request);
      if (options.apiKey && incoming.headers['api-key'] !== options.apiKey) {
        response.writeHead(401, { 'content-type': 'text/plain' });
        response.end('Must provide an API key or an Authorization bearer token');
        return;
      }
      send(response, route(collections, request));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    collections,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
