/**
 * Real servers for the whole test run, shared by every test file: the AWS emulator and a
 * PostgreSQL server, each on a free loopback port and stopped at the end.
 */
import type { TestProject } from 'vitest/node';
import { type Sandbox, startSandbox } from '../../src/sandbox/sandbox.js';
import { type PostgresServer, startPostgresServer } from './services/postgres-server.js';

let sandbox: Sandbox | undefined;
let postgres: PostgresServer | undefined;

export async function setup(project: TestProject): Promise<void> {
  const progress = (line: string) => process.stderr.write(`[sandbox] ${line}\n`);
  [sandbox, postgres] = await Promise.all([startSandbox({ onProgress: progress }), startPostgresServer()]);
  project.provide('sandboxEndpoint', sandbox.endpointUrl);
  project.provide('postgresUrl', postgres.url);
}

export async function teardown(): Promise<void> {
  await Promise.all([sandbox?.stop(), postgres?.stop()]);
}

declare module 'vitest' {
  export interface ProvidedContext {
    sandboxEndpoint: string;
    postgresUrl: string;
  }
}
