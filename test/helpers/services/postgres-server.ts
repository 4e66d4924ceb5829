/**
 * A real PostgreSQL server for the test run: initdb in a temporary folder, listening on a free
 * loopback port, trust authentication, stopped (and its folder removed) at teardown.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from './free-port.js';
import { ensureDebianPackage } from './system-packages.js';

export interface PostgresServer {
  /** Connection string of the `postgres` database as the superuser `copilot`. */
  url: string;
  /** Creates an empty database and returns its connection string. */
  createDatabase(name: string): Promise<string>;
  stop(): Promise<void>;
}

function binDirectory(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).sort((a, b) => Number(b) - Number(a));
  return versions.map((version) => join(root, version, 'bin')).find((bin) => existsSync(join(bin, 'initdb')));
}

/** initdb refuses to run as root; run the server as the `postgres` system user then. */
function asServerUser(command: string, args: string[]): [string, string[]] {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  return isRoot ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
}

async function waitUntilReady(url: string, child: ChildProcess): Promise<void> {
  for (let attempt = 0; attempt < 150; attempt += 1) {
    if (child.exitCode !== null) throw new Error(`postgres exited with ${child.exitCode} while starting`);
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      await client.end();
      return;
    } catch {
      await client.end().catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error('postgres did not accept connections within 15 s');
}

/**
 * Signals the server process itself: runuser (used as root) ignores SIGINT and SIGKILL ends only
 * runuser, either of which left the server running after the run. Its pid is postmaster.pid's first line.
 */
function signalServer(child: ChildProcess, data: string, signal: NodeJS.Signals): void {
  try {
    const pid = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
    if (Number.isInteger(pid) && pid > 0 && pid !== child.pid) process.kill(pid, signal);
  } catch {
    // No pid file or no such process: the server is already gone.
  }
  child.kill(signal);
}

export async function startPostgresServer(): Promise<PostgresServer> {
  ensureDebianPackage('postgresql', () => binDirectory() !== undefined, 'the PostgreSQL store tests');
  const bin = binDirectory() as string;
  const root = mkdtempSync(join(tmpdir(), 'aws-copilot-pg-'));
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (isRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }));
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }));
    chownSync(root, uid, gid);
  }
  const data = join(root, 'data');
  const [initCommand, initArgs] = asServerUser(join(bin, 'initdb'), [
    '-D',
    data,
    '-U',
    'copilot',
    '--auth=trust',
    '-E',
    'UTF8',
    '--no-sync',
  ]);
  execFileSync(initCommand, initArgs, { stdio: 'ignore' });
  const port = await freePort();
  const [command, args] = asServerUser(join(bin, 'postgres'), [
    '-D',
    data,
    '-p',
    String(port),
    '-k',
    root,
    '-c',
    'listen_addresses=127.0.0.1',
    '-c',
    'fsync=off',
    '-c',
    'synchronous_commit=off',
    '-c',
    'full_page_writes=off',
  ]);
  const child = spawn(command, args, { stdio: 'ignore' });
  const url = `postgresql://copilot@127.0.0.1:${port}/postgres`;
  await waitUntilReady(url, child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  return {
    url,
    createDatabase: async (name) => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE "${name.replace(/"/g, '')}"`);
      } finally {
        await client.end();
      }
      return `postgresql://copilot@127.0.0.1:${port}/${name}`;
    },
    stop: async () => {
      if (child.exitCode === null) {
        // SIGINT is PostgreSQL's fast shutdown.
        signalServer(child, data, 'SIGINT');
        const forced = setTimeout(() => signalServer(child, data, 'SIGKILL'), 10_000);
        await exited;
        clearTimeout(forced);
      }
      rmSync(root, { recursive: true, force: true });
    },
  };
}
