/**
 * A store of each adapter (PGlite in memory, a fresh PostgreSQL database, a fresh MongoDB
 * database) whose every table or collection can be read back raw, binary columns included, so a
 * scan can look for a value in the bytes the adapter and its checkpointer actually wrote.
 */
import { randomUUID } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite/vector';
import { MongoClient } from 'mongodb';
import pg from 'pg';
import { inject } from 'vitest';
import { openMongoStore } from '../../src/store/mongodb/open-mongo-store.js';
import { PGlitePool } from '../../src/store/pglite/pglite-pool.js';
import type { Store } from '../../src/store/ports.js';
import { openPostgresStore } from '../../src/store/postgres/open-postgres-store.js';
import { openSqlStore } from '../../src/store/sql/sql-store.js';

export type StoreKind = 'pglite' | 'postgres' | 'mongodb';

export interface ObservedStore {
  store: Store;
  /** Every row of every table (document of every collection), as text, binary values decoded as UTF-8. */
  dump(): Promise<Record<string, string>>;
  close(): Promise<void>;
}

/** Bytes (bytea, BSON Binary) as the text they hold, so a scan sees what was written inside them. */
function decodeBinaries(value: unknown): unknown {
  if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8');
  if (value === null || typeof value !== 'object') return value;
  if ((value as { _bsontype?: string })._bsontype === 'Binary')
    return Buffer.from((value as { buffer: Uint8Array }).buffer).toString('utf8');
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(decodeBinaries);
  if ((value as { _bsontype?: string })._bsontype) return String(value);
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, decodeBinaries(item)]));
}

const asText = (rows: unknown[]): string => JSON.stringify(decodeBinaries(rows));

type Query = (sql: string) => Promise<Array<Record<string, unknown>>>;

/** Every base table of every schema but the catalogs. */
async function dumpSql(query: Query): Promise<Record<string, string>> {
  const tables = await query(
    `SELECT table_schema, table_name FROM information_schema.tables
     WHERE table_schema NOT IN ('pg_catalog', 'information_schema') AND table_type = 'BASE TABLE'`,
  );
  const dump: Record<string, string> = {};
  for (const { table_schema, table_name } of tables) {
    dump[`${table_schema}.${table_name}`] = asText(
      await query(`SELECT * FROM "${table_schema}"."${table_name}"`),
    );
  }
  return dump;
}

async function openPGliteObserved(): Promise<ObservedStore> {
  const database = await PGlite.create('memory://', { extensions: { vector } });
  await database.exec('CREATE EXTENSION IF NOT EXISTS vector');
  const store = await openSqlStore({
    kind: 'pglite',
    pool: new PGlitePool(database),
    where: 'memory://',
    pgvector: true,
    vectorDimensions: 8,
  });
  return {
    store,
    dump: () => dumpSql(async (sql) => (await database.query<Record<string, unknown>>(sql)).rows),
    close: () => store.close(),
  };
}

async function openPostgresObserved(): Promise<ObservedStore> {
  const name = `scan_${randomUUID().replace(/-/g, '')}`;
  const admin = new pg.Client({ connectionString: inject('postgresUrl') });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const connectionString = inject('postgresUrl').replace(/\/postgres$/, `/${name}`);
  const store = await openPostgresStore({ connectionString, vectorDimensions: 8 });
  const reader = new pg.Client({ connectionString });
  await reader.connect();
  return {
    store,
    dump: () => dumpSql(async (sql) => (await reader.query<Record<string, unknown>>(sql)).rows),
    close: async () => {
      await reader.end();
      await store.close();
    },
  };
}

async function openMongoObserved(): Promise<ObservedStore> {
  const uri = `${inject('mongoUrl')}/scan_${randomUUID().replace(/-/g, '')}`;
  const store = await openMongoStore({ uri, vectorDimensions: 8 });
  const reader = await MongoClient.connect(uri);
  const db = reader.db();
  return {
    store,
    dump: async () => {
      const dump: Record<string, string> = {};
      for (const { name } of await db.listCollections({}, { nameOnly: true }).toArray()) {
        dump[name] = asText(await db.collection(name).find({}).toArray());
      }
      return dump;
    },
    close: async () => {
      await reader.close();
      await store.close();
    },
  };
}

export function openObservedStore(kind: StoreKind): Promise<ObservedStore> {
  if (kind === 'postgres') return openPostgresObserved();
  if (kind === 'mongodb') return openMongoObserved();
  return openPGliteObserved();
}
