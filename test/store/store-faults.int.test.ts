import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite/vector';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open-store.js';
import { openPGliteStore } from '../../src/store/pglite/open-pglite-store.js';
import { openPostgresStore } from '../../src/store/postgres/open-postgres-store.js';

const folder = () => mkdtempSync(join(tmpdir(), 'store-faults-'));

describe('store faults', () => {
  it('refuses a store written by a newer aws-copilot and leaves it untouched', async () => {
    const directory = folder();
    const store = await openPGliteStore({ directory, vectorDimensions: 8 });
    await store.sessions.create({ id: 'keep-me', userId: 'ann', title: 'kept' });
    await store.close();
    const raw = await PGlite.create(join(directory, 'pgdata'), { extensions: { vector } });
    await raw.query("INSERT INTO aws_copilot_schema (version, description) VALUES (99, 'from the future')");
    await raw.close();

    await expect(openPGliteStore({ directory, vectorDimensions: 8 })).rejects.toThrow(
      /schema version 99, but this aws-copilot only knows up to \d+: upgrade aws-copilot/,
    );
    const again = await PGlite.create(join(directory, 'pgdata'), { extensions: { vector } });
    expect((await again.query<{ id: string }>('SELECT id FROM sessions')).rows).toEqual([{ id: 'keep-me' }]);
    await again.close();
  });

  it('refuses a data folder another process holds, naming the process', async () => {
    const directory = folder();
    writeFileSync(join(directory, 'aws-copilot.lock'), `${process.ppid}\n`);
    await expect(openPGliteStore({ directory, vectorDimensions: 8 })).rejects.toThrow(
      new RegExp(`in use by process ${process.ppid}`),
    );
  });

  it('takes over a lock left by a process that no longer exists', async () => {
    const directory = folder();
    writeFileSync(join(directory, 'aws-copilot.lock'), '999999\n');
    const store = await openPGliteStore({ directory, vectorDimensions: 8 });
    await store.close();
    expect(existsSync(join(directory, 'aws-copilot.lock'))).toBe(false);
  });

  it('explains a damaged data folder and deletes nothing', async () => {
    const directory = folder();
    const store = await openPGliteStore({ directory, vectorDimensions: 8 });
    await store.close();
    writeFileSync(join(directory, 'pgdata', 'PG_VERSION'), 'garbage\n');
    const before = readdirSync(join(directory, 'pgdata')).sort();
    await expect(openPGliteStore({ directory, vectorDimensions: 8 })).rejects.toThrow(
      /cannot open the store at .*move it aside/,
    );
    expect(readdirSync(join(directory, 'pgdata')).sort()).toEqual(before);
    expect(existsSync(join(directory, 'aws-copilot.lock'))).toBe(false);
  });

  it('names an unreachable PostgreSQL server without printing its password', async () => {
    const attempt = openPostgresStore({
      connectionString: 'postgresql://copilot:hunter2secret@127.0.0.1:1/none',
      vectorDimensions: 8,
    });
    await expect(attempt).rejects.toThrow(
      /cannot reach PostgreSQL at postgresql:\/\/copilot:\*\*\*@127\.0\.0\.1:1\/none/,
    );
    await expect(attempt).rejects.not.toThrow(/hunter2secret/);
  });

  it('refuses two stores configured at once', async () => {
    await expect(
      openStore({
        databaseUrl: 'postgresql://x/y',
        mongodbUri: 'mongodb://x/y',
        dataDir: folder(),
        vectorDimensions: 8,
      }),
    ).rejects.toThrow(/choose one store/);
  });
});
