/**
 * Real servers for the whole test run, shared by every test file: the AWS emulator, a PostgreSQL
 * server and a MongoDB-wire server, each on a free loopback port and stopped at the end; and
 * Debian's Chromium for the browser tests, installed once here when it is missing.
 */
import type { TestProject } from 'vitest/node';
import { type Sandbox, startSandbox } from '../../src/sandbox/sandbox.js';
import { ensureChromium } from './services/chromium.js';
import { type MongoServer, startMongoServer } from './services/mongo-server.js';
import { type PostgresServer, startPostgresServer } from './services/postgres-server.js';

let sandbox: Sandbox | undefined;
let postgres: PostgresServer | undefined;
let mongo: MongoServer | undefined;

export async function setup(project: TestProject): Promise<void> {
  const progress = (line: string) => process.stderr.write(`[sandbox] ${line}\n`);
  // Before the servers start: apt-get blocks, and the test files' workers must not race to install it.
  // Without it only the browser tests fail (they repeat the reason); every other test still runs.
  try {
    ensureChromium();
  } catch (error) {
    process.stderr.write(`[browser tests] ${(error as Error).message}\n`);
  }
  [sandbox, postgres, mongo] = await Promise.all([
    startSandbox({ onProgress: progress }),
    startPostgresServer(),
    startMongoServer({ onProgress: (line) => process.stderr.write(`[mongo] ${line}\n`) }),
  ]);
  project.provide('sandboxEndpoint', sandbox.endpointUrl);
  project.provide('postgresUrl', postgres.url);
  project.provide('mongoUrl', mongo.url);
}

export async function teardown(): Promise<void> {
  await Promise.all([sandbox?.stop(), postgres?.stop(), mongo?.stop()]);
}

declare module 'vitest' {
  export interface ProvidedContext {
    sandboxEndpoint: string;
    postgresUrl: string;
    /** `mongodb://127.0.0.1:<port>`, without a database. */
    mongoUrl: string;
  }
}
