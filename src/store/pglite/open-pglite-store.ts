/**
 * The embedded default: PGlite in a data folder, nothing to install. One process at a time owns
 * the folder (PGlite cannot share it), enforced with a lock file naming the owner.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite/vector';
import { CopilotError } from '../../errors/copilot-error.js';
import type { Store } from '../ports.js';
import { openSqlStore } from '../sql/sql-store.js';
import { PGlitePool } from './pglite-pool.js';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the folder's lock or explains who holds it; a lock left by a dead process is taken over. */
function acquireLock(directory: string): () => void {
  const lockPath = join(directory, 'aws-copilot.lock');
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      writeFileSync(lockPath, `${process.pid}\n`, { flag: 'wx', mode: 0o600 });
      return () => rmSync(lockPath, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number.parseInt(readFileSync(lockPath, 'utf8'), 10);
      if (Number.isInteger(owner) && owner !== process.pid && isAlive(owner)) {
        throw new CopilotError(
          'store_unavailable',
          `the store at ${directory} is in use by process ${owner}; stop that aws-copilot first, or point AWS_COPILOT_STORE_DIR at another folder`,
        );
      }
      rmSync(lockPath, { force: true });
    }
  }
  throw new CopilotError('store_unavailable', `cannot lock the store at ${directory}`);
}

export interface PGliteStoreOptions {
  /** Data folder; `memory://` keeps everything in memory (tests). */
  directory: string;
  vectorDimensions: number;
}

export async function openPGliteStore(options: PGliteStoreOptions): Promise<Store> {
  const inMemory = options.directory.startsWith('memory://');
  let releaseLock: () => void = () => undefined;
  if (!inMemory) {
    try {
      mkdirSync(options.directory, { recursive: true, mode: 0o700 });
    } catch (error) {
      throw new CopilotError(
        'store_unavailable',
        `cannot create the store folder ${options.directory}: ${(error as Error).message}`,
        { cause: error },
      );
    }
    releaseLock = acquireLock(options.directory);
  }
  let database: PGlite;
  try {
    database = await PGlite.create(inMemory ? 'memory://' : join(options.directory, 'pgdata'), {
      extensions: { vector },
    });
    await database.exec('CREATE EXTENSION IF NOT EXISTS vector');
  } catch (error) {
    releaseLock();
    throw new CopilotError(
      'store_unavailable',
      `cannot open the store at ${options.directory}: ${(error as Error).message}. If the folder is damaged, move it aside (nothing is deleted automatically) and start again, or restore it from a backup`,
      { cause: error },
    );
  }
  try {
    return await openSqlStore({
      kind: 'pglite',
      pool: new PGlitePool(database),
      where: options.directory,
      pgvector: true,
      vectorDimensions: options.vectorDimensions,
      onClose: async () => releaseLock(),
    });
  } catch (error) {
    await database.close().catch(() => undefined);
    releaseLock();
    throw error;
  }
}
