import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { describeStoreConformance } from '../../src/store/conformance/store-conformance.js';
import { openPostgresStore } from '../../src/store/postgres/open-postgres-store.js';

/** A fresh database per store, on the run's PostgreSQL server. */
async function freshDatabase(): Promise<string> {
  const admin = new pg.Client({ connectionString: inject('postgresUrl') });
  const name = `store_${randomUUID().replace(/-/g, '')}`;
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  return inject('postgresUrl').replace(/\/postgres$/, `/${name}`);
}

describeStoreConformance('postgres', {
  open: async () => openPostgresStore({ connectionString: await freshDatabase(), vectorDimensions: 8 }),
});
