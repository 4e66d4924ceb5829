/** Shared setup for the Lambda tests: an execution role, deterministic zips in the workspace, a ready suite. */
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { GetFunctionCommand, type GetFunctionCommandOutput } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll } from 'vitest';
import { ZipFile } from 'yazl';
import { lambdaCodeSha256 } from '../../src/tools/aws/lambda-code.js';
import type { ToolEnvelope } from '../../src/tools/envelope.js';
import { createToolHarness, sandboxEndpoint, type ToolHarness } from '../helpers/tool-harness.js';
import { uniqueName } from '../helpers/unique-name.js';
import { createLambdaExecutionRole } from './execution-role.js';

/** The emulator refuses a function whose execution role does not exist, so each test file makes one. */
export function createExecutionRole(): Promise<string> {
  return createLambdaExecutionRole(sandboxEndpoint(), uniqueName('lambda-exec'));
}

/** Writes a zip of `files` into the harness workspace; equal files give byte-equal zips. */
export async function writeZip(
  harness: ToolHarness,
  name: string,
  files: Record<string, string>,
): Promise<string> {
  const zip = new ZipFile();
  for (const [path, content] of Object.entries(files))
    zip.addBuffer(Buffer.from(content), path, { mtime: new Date('2024-01-01T00:00:00Z'), mode: 0o100644 });
  zip.end();
  await pipeline(zip.outputStream, createWriteStream(join(harness.settings.workspace, name)));
  return name;
}

export function pythonApp(greeting: string): Record<string, string> {
  return { 'app.py': `def handler(event, context):\n    return {"greeting": "${greeting}"}\n` };
}

/** The AWS operations a finished call made, from its audit record. */
export function operationsOf(harness: ToolHarness, envelope: ToolEnvelope): string[] {
  const record = harness.audit.records.find((candidate) => candidate.id === envelope.audit_id);
  if (!record) throw new Error(`no audit record ${envelope.audit_id}`);
  return record.awsCalls.map((call) => call.operation);
}

export interface LambdaSuite {
  harness: ToolHarness;
  /** An execution role of the emulator's account; set before the first test. */
  role: string;
  /** Two versions of the code in the workspace, `v1.zip` and `v2.zip`; set before the first test. */
  zipV1: string;
  zipV2: string;
  /** The CodeSha256 Lambda reports for a zip of the workspace. */
  sha(zip: string): Promise<string>;
  /** GetFunction straight from the SDK, to check what a tool did. */
  describeFunction(name: string, qualifier?: string): Promise<GetFunctionCommandOutput>;
}

/** For a describe block: a harness, an execution role and two code versions, ready before its tests. */
export function lambdaSuite(v1: Record<string, string>, v2: Record<string, string>): LambdaSuite {
  const harness = createToolHarness();
  const suite: LambdaSuite = {
    harness,
    role: '',
    zipV1: '',
    zipV2: '',
    sha: (zip) => lambdaCodeSha256(join(harness.settings.workspace, zip)),
    describeFunction: (name, qualifier) =>
      harness.aws.lambda().send(new GetFunctionCommand({ FunctionName: name, Qualifier: qualifier })),
  };
  beforeAll(async () => {
    suite.role = await createExecutionRole();
    suite.zipV1 = await writeZip(harness, 'v1.zip', v1);
    suite.zipV2 = await writeZip(harness, 'v2.zip', v2);
  });
  afterAll(() => harness.close());
  return suite;
}
