/** Undoing a Lambda update: the snapshot recorded before it, and putting configuration and code back. */
import { stat } from 'node:fs/promises';
import type { LambdaClient, UpdateFunctionConfigurationRequest } from '@aws-sdk/client-lambda';
import { CopilotError } from '../../errors/copilot-error.js';
import type { CreatedResource, ToolContext } from '../define-tool.js';
import { callAws, hasAwsCode } from './aws-error.js';
import { type CodeBackup, readConfigurationSnapshot } from './lambda-backup.js';
import { DIRECT_UPLOAD_LIMIT_BYTES, lambdaCodeSha256, shortSha } from './lambda-code.js';
import { getFunction, settle, waitUpdated } from './lambda-function.js';
import { codeFields } from './lambda-source.js';
import { lambdaSdk } from './sdk.js';

/** Recorded just before an existing function is changed: how to bring it back. */
export const SNAPSHOT_TYPE = 'lambda:function-snapshot';
/** A version published by update_lambda_code; rollback deletes it. */
export const VERSION_TYPE = 'lambda:function-version';

export interface SnapshotDetail {
  previous_code_sha256: string;
  code_backup: CodeBackup;
  /** Private file with the previous values of the configuration fields the update changed. */
  configuration_snapshot?: string;
}

export function recordSnapshot(
  context: ToolContext,
  region: string,
  functionName: string,
  detail: SnapshotDetail,
): void {
  context.created({ type: SNAPSHOT_TYPE, id: functionName, region, detail: { ...detail } });
}

/** Where the saved code is, for results: a path, an S3 URI, or null when it could not be saved. */
export function describeBackup(backup: CodeBackup): string | null {
  if (backup.kind === 'file') return backup.path;
  if (backup.kind === 's3')
    return `s3://${backup.bucket}/${backup.key}${backup.version_id ? `?versionId=${backup.version_id}` : ''}`;
  return null;
}

/** The result fields naming the backup of the replaced code. */
export function backupFields(backup: CodeBackup): { code_backup: string | null; code_backup_note?: string } {
  return {
    code_backup: describeBackup(backup),
    ...(backup.kind === 'none' ? { code_backup_note: backup.reason } : {}),
  };
}

/** Uploads the saved package again and checks Lambda reports the expected CodeSha256. */
async function restoreCode(
  client: LambdaClient,
  functionName: string,
  backup: CodeBackup,
  expectedSha256: string,
  context: ToolContext,
): Promise<void> {
  if (backup.kind === 'none')
    throw new CopilotError(
      'not_found',
      `the previous code of ${functionName} (CodeSha256 ${expectedSha256}) was not saved: ${backup.reason}`,
    );
  let fields: Awaited<ReturnType<typeof codeFields>>;
  if (backup.kind === 'file') {
    const size = (await stat(backup.path)).size;
    if (size > DIRECT_UPLOAD_LIMIT_BYTES)
      throw new CopilotError(
        'conflict',
        `the previous code of ${functionName} is saved at ${backup.path} but is over 50 MB; upload it to S3 and run update_lambda_code with s3_bucket and s3_key`,
      );
    if ((await lambdaCodeSha256(backup.path, context.signal)) !== expectedSha256)
      throw new CopilotError(
        'conflict',
        `the saved package ${backup.path} no longer matches ${expectedSha256}`,
      );
    fields = await codeFields({ kind: 'zip', path: backup.path, size, sha256: expectedSha256 });
  } else {
    fields = {
      S3Bucket: backup.bucket,
      S3Key: backup.key,
      ...(backup.version_id ? { S3ObjectVersion: backup.version_id } : {}),
    };
  }
  const { UpdateFunctionCodeCommand } = await lambdaSdk();
  context.progress(`restoring the previous code of ${functionName}`);
  await callAws(`UpdateFunctionCode ${functionName}`, () =>
    client.send(new UpdateFunctionCodeCommand({ FunctionName: functionName, ...fields }), {
      abortSignal: context.signal,
    }),
  );
  const restored = await waitUpdated(client, functionName, context);
  if (restored.CodeSha256 !== expectedSha256)
    throw new CopilotError(
      'conflict',
      `restored ${functionName} from its backup but Lambda reports CodeSha256 ${restored.CodeSha256}, not ${expectedSha256} (the S3 object changed since?)`,
    );
}

async function deleteVersion(resource: CreatedResource, context: ToolContext): Promise<string> {
  const [functionName, version] = resource.id.split(':');
  const { DeleteFunctionCommand } = await lambdaSdk();
  try {
    await callAws(`DeleteFunction ${resource.id}`, () =>
      context.aws
        .lambda(resource.region)
        .send(new DeleteFunctionCommand({ FunctionName: functionName, Qualifier: version }), {
          abortSignal: context.signal,
        }),
    );
    return `deleted version ${version} of ${functionName}`;
  } catch (error) {
    if (hasAwsCode(error, 'ResourceNotFoundException')) return `version ${resource.id} was already gone`;
    throw error;
  }
}

async function restoreSnapshot(resource: CreatedResource, context: ToolContext): Promise<string[]> {
  const detail = resource.detail as unknown as SnapshotDetail;
  const functionName = resource.id;
  const client = context.aws.lambda(resource.region);
  const done: string[] = [];
  const current = await settle(
    client,
    functionName,
    (await getFunction(client, functionName, context)).Configuration ?? {},
    context,
  );
  if (detail.configuration_snapshot) {
    const previous = (await readConfigurationSnapshot(
      detail.configuration_snapshot,
    )) as Partial<UpdateFunctionConfigurationRequest>;
    const { UpdateFunctionConfigurationCommand } = await lambdaSdk();
    await callAws(`UpdateFunctionConfiguration ${functionName}`, () =>
      client.send(new UpdateFunctionConfigurationCommand({ ...previous, FunctionName: functionName }), {
        abortSignal: context.signal,
      }),
    );
    await waitUpdated(client, functionName, context);
    done.push(`restored the configuration of ${functionName} (${Object.keys(previous).join(', ')})`);
  }
  if (current.CodeSha256 !== detail.previous_code_sha256) {
    try {
      await restoreCode(client, functionName, detail.code_backup, detail.previous_code_sha256, context);
    } catch (error) {
      if (error instanceof CopilotError && done.length > 0)
        throw new CopilotError(error.code, `${done.join('; ')}; but NOT its code: ${error.message}`, {
          cause: error,
        });
      throw error;
    }
    done.push(
      `restored the code of ${functionName} (CodeSha256 ${shortSha(current.CodeSha256)} -> ${shortSha(detail.previous_code_sha256)})`,
    );
  }
  return done;
}

/** Undoes an update recorded by snapshot (and published version) entries, newest first. */
export async function undoUpdates(created: CreatedResource[], context: ToolContext): Promise<string[]> {
  const done: string[] = [];
  for (const resource of [...created].reverse()) {
    if (resource.type === VERSION_TYPE) done.push(await deleteVersion(resource, context));
    if (resource.type === SNAPSHOT_TYPE) done.push(...(await restoreSnapshot(resource, context)));
  }
  return done;
}
