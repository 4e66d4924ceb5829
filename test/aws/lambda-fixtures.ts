/** Shared setup for the Lambda tests: unique names, an execution role, deterministic zips in the workspace. */
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { ZipFile } from 'yazl';
import { SANDBOX_CREDENTIALS } from '../../src/sandbox/sandbox.js';
import type { ToolEnvelope } from '../../src/tools/envelope.js';
import { sandboxEndpoint, type ToolHarness } from '../helpers/tool-harness.js';

export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

/** The emulator refuses a function whose execution role does not exist, so each test file makes one. */
export async function createExecutionRole(): Promise<string> {
  const iam = new IAMClient({
    region: 'us-east-1',
    endpoint: sandboxEndpoint(),
    credentials: SANDBOX_CREDENTIALS,
  });
  try {
    const answer = await iam.send(
      new CreateRoleCommand({
        RoleName: uniqueName('lambda-exec'),
        AssumeRolePolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
          ],
        }),
      }),
    );
    const arn = answer.Role?.Arn;
    if (!arn) throw new Error('CreateRole returned no ARN');
    return arn;
  } finally {
    iam.destroy();
  }
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

export function expectOk<R>(envelope: ToolEnvelope<R>): R {
  if (envelope.status !== 'ok') throw new Error(`expected ok, got ${JSON.stringify(envelope.error)}`);
  return envelope.result;
}
