/** One AWS emulator per test run, shared by every test file through AWS_ENDPOINT_URL. */
import type { TestProject } from 'vitest/node';
import { type Sandbox, startSandbox } from '../../src/sandbox/sandbox.js';

let sandbox: Sandbox | undefined;

export async function setup(project: TestProject): Promise<void> {
  sandbox = await startSandbox({ onProgress: (line) => process.stderr.write(`[sandbox] ${line}\n`) });
  project.provide('sandboxEndpoint', sandbox.endpointUrl);
}

export async function teardown(): Promise<void> {
  await sandbox?.stop();
}

declare module 'vitest' {
  export interface ProvidedContext {
    sandboxEndpoint: string;
  }
}
