import { randomUUID } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { isCopilotError } from '../../src/errors/copilot-error.js';
import { describeStoreConformance } from '../../src/store/conformance/store-conformance.js';
import { nextSequence } from '../../src/store/mongodb/documents.js';
import { LATEST_MONGO_SCHEMA_VERSION } from '../../src/store/mongodb/migrations.js';
import { openMongoStore } from '../../src/store/mongodb/open-mongo-store.js';
import type { Store } from '../../src/store/ports.js';
import { freePort } from '../helpers/services/free-port.js';

/** A URI naming a database nobody used yet, on the run's MongoDB-wire server. */
const freshUri = () => `${inject('mongoUrl')}/store_${randomUUID().replace(/-/g, '')}`;

describeStoreConformance('mongodb', {
  // Ten years: the suite's purge test plants 100-day-old telemetry, which the default 90-day TTL
  // index would let the server's sweeper remove before purge() gets to count it.
  open: () => openMongoStore({ uri: freshUri(), vectorDimensions: 8, retentionDays: 3650 }),
  expectedSchemaVersion: LATEST_MONGO_SCHEMA_VERSION,
});

async function eventually(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return check();
}

describe('mongodb store', () => {
  let raw: MongoClient;
  beforeAll(async () => {
    raw = await MongoClient.connect(inject('mongoUrl'));
  });
  afterAll(async () => {
    await raw?.close();
  });

  it('lets the server expire telemetry, audit records and events by their TTL index', async () => {
    const uri = freshUri();
    const store: Store = await openMongoStore({ uri, vectorDimensions: 8, ttlSeconds: 2 });
    try {
      const sessionId = randomUUID();
      const now = new Date().toISOString();
      const later = new Date(Date.now() + 3_600_000).toISOString();
      const audit = (id: string, at: string) =>
        store.audit.write({
          id,
          at,
          userId: sessionId,
          tool: 'list_buckets',
          mode: 'run',
          risk: 'read',
          args: {},
          resourceIds: [],
          awsCalls: [],
          durationMs: 1,
          outcome: 'ok',
        });
      const telemetry = (id: string, at: string) =>
        store.telemetry.append({ id, sessionId, agent: 'a', phase: 'p', status: 'ok', at });
      await Promise.all([
        telemetry('expires', now),
        telemetry('stays', later),
        audit('expires', now),
        audit('stays', later),
        store.events.append(sessionId, 'step-start', {}),
      ]);
      expect(await store.telemetry.list({ sessionId })).toHaveLength(2);

      const expired = await eventually(async () => {
        const [events, telemetryLeft, auditLeft] = await Promise.all([
          store.events.listAfter(sessionId, 0),
          store.telemetry.list({ sessionId }),
          store.audit.list({ userId: sessionId }),
        ]);
        return events.length === 0 && telemetryLeft.length === 1 && auditLeft.length === 1;
      }, 20_000);
      expect(expired).toBe(true);
      expect((await store.telemetry.list({ sessionId })).map((event) => event.id)).toEqual(['stays']);
      expect((await store.audit.list({ userId: sessionId })).map((record) => record.id)).toEqual(['stays']);
    } finally {
      await store.close();
    }
  });

  it('creates TTL indexes from retentionDays and follows a changed setting at the next open', async () => {
    const uri = freshUri();
    const name = uri.slice(uri.lastIndexOf('/') + 1);
    const ttlOf = async (collection: string) =>
      (await raw.db(name).collection(collection).listIndexes().toArray()).find(
        (index) => index.name === 'at_ttl',
      )?.expireAfterSeconds;
    await (await openMongoStore({ uri, vectorDimensions: 8 })).close();
    expect(await ttlOf('telemetry')).toBe(90 * 86_400);
    await (await openMongoStore({ uri, vectorDimensions: 8, retentionDays: 30 })).close();
    for (const collection of ['telemetry', 'audit', 'events'])
      expect(await ttlOf(collection)).toBe(30 * 86_400);
  });

  it('refuses a database written by a newer aws-copilot and leaves it untouched', async () => {
    const uri = freshUri();
    const name = uri.slice(uri.lastIndexOf('/') + 1);
    const store = await openMongoStore({ uri, vectorDimensions: 8 });
    await store.sessions.create({ id: 'keep-me', userId: 'ann', title: 'kept' });
    await store.close();
    await raw.db(name).collection<{ _id: number }>('schema').insertOne({ _id: 99 });

    const refused = await openMongoStore({ uri, vectorDimensions: 8 }).catch((error: unknown) => error);
    expect(isCopilotError(refused) && refused.code).toBe('store_incompatible');
    expect((refused as Error).message).toMatch(
      new RegExp(
        `schema version 99, but this aws-copilot only knows up to ${LATEST_MONGO_SCHEMA_VERSION}: upgrade`,
      ),
    );
    expect(
      await raw
        .db(name)
        .collection('sessions')
        .countDocuments({ _id: 'keep-me' as never }),
    ).toBe(1);
  });

  it('says which server it cannot reach, without the password, within a few seconds', async () => {
    const port = await freePort();
    const started = Date.now();
    const error = await openMongoStore({
      uri: `mongodb://copilot:hunter2-secret@127.0.0.1:${port}/shop`,
      vectorDimensions: 8,
    }).catch((caught: unknown) => caught);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(isCopilotError(error) && error.code).toBe('store_unavailable');
    const message = (error as Error).message;
    expect(message).toContain(`cannot reach MongoDB at mongodb://copilot:***@127.0.0.1:${port}/shop`);
    expect(message).toMatch(/check MONGODB_URI/);
    expect(message).not.toContain('hunter2-secret');
  });

  it('uses the database named in the URI and keeps payload keys MongoDB treats specially', async () => {
    const uri = freshUri();
    const name = uri.slice(uri.lastIndexOf('/') + 1);
    const store = await openMongoStore({ uri: `${uri}?appName=test`, vectorDimensions: 8 });
    try {
      const sessionId = randomUUID();
      const payload = { $ref: '#/definitions/x', 'a.b': 1, nested: { $schema: 'draft-07' }, at: new Date(0) };
      await store.events.append(sessionId, 'tool-call', payload);
      const [event] = await store.events.listAfter(sessionId, 0);
      expect(event?.payload).toEqual(JSON.parse(JSON.stringify(payload)));
      expect(await raw.db(name).collection('events').countDocuments({ sessionId })).toBe(1);
    } finally {
      await store.close();
    }
  });

  it('hands out every number of a new sequence exactly once when many callers start it at once', async () => {
    // Concurrent upserts of a missing counter came back with no document on SecantusDB, so the
    // first appends of a session could get NaN and lose a number; this hits that race every round.
    const db = raw.db(`seq_${randomUUID().replace(/-/g, '')}`);
    await db.createCollection('counters');
    for (let round = 0; round < 10; round += 1) {
      const scope = `event:${randomUUID()}`;
      const numbers = await Promise.all(Array.from({ length: 30 }, () => nextSequence(db, scope)));
      expect(numbers.sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, index) => index + 1));
    }
    await db.dropDatabase();
  });
});
