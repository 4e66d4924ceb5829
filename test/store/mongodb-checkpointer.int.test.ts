/**
 * LangGraph's own checkpointer validation, run against the official MongoDBSaver as the MongoDB
 * store sets it up, on the run's MongoDB-wire server. Named after its package so that the suite's
 * known upstream skips for MongoDBSaver (channel deltas, pending sends) apply.
 */
import { randomUUID } from 'node:crypto';
import type { MongoDBSaver } from '@langchain/langgraph-checkpoint-mongodb';
import { validate } from '@langchain/langgraph-checkpoint-validation';
import { MongoClient } from 'mongodb';
import * as vitest from 'vitest';
import { inject } from 'vitest';
import { openMongoStore } from '../../src/store/mongodb/open-mongo-store.js';
import type { Store } from '../../src/store/ports.js';

const open = new Map<unknown, { store: Store; database: string }>();

// The validation suite is written against Jest-style globals; hand it vitest's.
const { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, test } = vitest;
Object.assign(globalThis, { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, test });

validate({
  checkpointerName: '@langchain/langgraph-checkpoint-mongodb',
  createCheckpointer: async () => {
    const database = `checkpoints_${randomUUID().replace(/-/g, '')}`;
    const store = await openMongoStore({ uri: `${inject('mongoUrl')}/${database}`, vectorDimensions: 8 });
    open.set(store.checkpointer, { store, database });
    return store.checkpointer as MongoDBSaver;
  },
  destroyCheckpointer: async (checkpointer) => {
    const entry = open.get(checkpointer);
    open.delete(checkpointer);
    await entry?.store.close();
    if (!entry) return;
    const client = await MongoClient.connect(inject('mongoUrl'));
    await client.db(entry.database).dropDatabase();
    await client.close();
  },
});
