/**
 * `aws-copilot serve` as the ws-first-event benchmark runs it: built dist/, its own process (so its
 * memory can be read from /proc), multi-user behind a trusted header, on a given store, started
 * once on an empty store and then again, so the figures are those of a server restarted on its store.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { cliEnvironment } from '../../test/helpers/cli.js';
import { type Served, startServe, stopServe } from '../../test/helpers/serve-process.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
/** Every session is its own person, named by a trusted proxy: per-user limits stay per user. */
export const USER_HEADER = 'X-Bench-User';

export interface StoreUnderTest {
  label: 'PGlite' | 'PostgreSQL';
  /** AWS_COPILOT_DATA_DIR for PGlite, DATABASE_URL for PostgreSQL. */
  env: Record<string, string>;
}

export interface ServerMemory {
  /** VmRSS now, MiB. */
  rss: number;
  /** VmHWM: the peak resident size since start, MiB. */
  peak: number;
}

export async function memoryOf(pid: number): Promise<ServerMemory> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
  return { rss: kib('VmRSS') / 1024, peak: kib('VmHWM') / 1024 };
}

/** `npm run build`, so the server measured is the current source; tsc emits even on type errors. */
export async function buildDist(log: (line: string) => void): Promise<void> {
  await promisify(execFile)('npm', ['run', 'build', '--silent'], { cwd: ROOT }).catch(
    (error: { stdout?: string }) => log(`npm run build reported errors:\n${error.stdout ?? ''}`),
  );
}

/** An empty database on the run's PostgreSQL server. */
export async function createDatabase(serverUrl: string, name: string): Promise<string> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export interface ServeOptions {
  home: string;
  sandboxEndpoint: string;
  store: StoreUnderTest;
  nodeArgs?: string[];
}

/** Starts the server on an empty store, stops it, and starts it again: returns the second one and the first's idle RSS. */
export async function serveWarm(options: ServeOptions): Promise<{ served: Served; firstStartMiB: number }> {
  const env = cliEnvironment({
    AWS_COPILOT_WORKSPACE: options.home,
    HOME: options.home,
    AWS_ENDPOINT_URL: options.sandboxEndpoint,
    AWS_COPILOT_TRUSTED_USER_HEADER: USER_HEADER,
    ...options.store.env,
  });
  const first = await startServe([], env);
  const firstStartMiB = (await memoryOf(first.child.pid as number)).rss;
  await stopServe(first.child);
  return { served: await startServe([], env, options.nodeArgs ?? []), firstStartMiB };
}
