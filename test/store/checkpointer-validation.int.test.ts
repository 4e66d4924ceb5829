/**
 * LangGraph's own checkpointer validation, run against the PostgresSaver as we use it: on the
 * embedded PGlite through our single-connection pool, and on a real PostgreSQL server. One store
 * each, emptied between checkpointers (the validation allows shared storage that is cleared).
 */
import { randomUUID } from 'node:crypto';
import type { PostgresSaver } from '@langchain/langgraph-checkpoint-postgres';
import { validate } from '@langchain/langgraph-checkpoint-validation';
import pg from 'pg';
import * as vitest from 'vitest';
import { openPGliteStore } from '../../src/store/pglite/open-pglite-store.js';
import type { Store } from '../../src/store/ports.js';
import { openPostgresStore } from '../../src/store/postgres/open-postgres-store.js';
import type { SqlPool } from '../../src/store/sql/pool.js';

// The validation suite is written against Jest-style globals; hand it vitest's.
const { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, test } = vitest;
Object.assign(globalThis, { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, test });

/** Opens a store once, then empties its checkpoint tables for every new checkpointer. */
function sharedSaver(open: () => Promise<Store>) {
  let store: Store | undefined;
  afterAll(async () => {
    await store?.close();
  });
  return async () => {
    if (!store) store = await open();
    const pool = (store.checkpointer as unknown as { pool: SqlPool }).pool;
    await pool.query('TRUNCATE checkpoints, checkpoint_blobs, checkpoint_writes');
    return store.checkpointer as PostgresSaver;
  };
}

validate({
  checkpointerName: 'PostgresSaver on PGlite',
  beforeAllTimeout: 60_000,
  createCheckpointer: sharedSaver(() => openPGliteStore({ directory: 'memory://', vectorDimensions: 8 })),
});

validate({
  checkpointerName: 'PostgresSaver on PostgreSQL',
  beforeAllTimeout: 60_000,
  createCheckpointer: sharedSaver(async () => {
    const admin = new pg.Client({ connectionString: vitest.inject('postgresUrl') });
    const name = `checkpoints_${randomUUID().replace(/-/g, '')}`;
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    return openPostgresStore({
      connectionString: vitest.inject('postgresUrl').replace(/\/postgres$/, `/${name}`),
      vectorDimensions: 8,
    });
  }),
});
