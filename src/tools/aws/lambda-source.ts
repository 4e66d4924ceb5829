/** Where a function's new code comes from (a workspace zip or an S3 object), and its CodeSha256 before upload. */
import { readFile, stat } from 'node:fs/promises';
import { CopilotError } from '../../errors/copilot-error.js';
import type { ToolContext } from '../define-tool.js';
import { type FieldError, fieldError } from '../field-error.js';
import { resolveInWorkspace } from '../workspace/paths.js';
import { callAws, hasAwsCode } from './aws-error.js';
import { DIRECT_UPLOAD_LIMIT_BYTES, lambdaCodeSha256, sha256Base64 } from './lambda-code.js';
import type { CodeSourceArgs } from './lambda-schemas.js';
import { s3Sdk } from './sdk.js';

export type PreparedCode =
  | { kind: 'zip'; path: string; size: number; sha256: string }
  | { kind: 's3'; bucket: string; key: string; versionId?: string; size: number; sha256: string };

/** The code fields of CreateFunction / UpdateFunctionCode for a prepared package. */
export type CodeFields =
  | { ZipFile: Uint8Array }
  | { S3Bucket: string; S3Key: string; S3ObjectVersion?: string };

function zipFileError(message: string): FieldError {
  return fieldError('invalid_input', 'zip_file', `zip_file: ${message}`);
}

const MEGABYTE = 1024 * 1024;

/** Checks a workspace zip exists and fits the inline upload limit; returns its real path and size. */
async function localZip(zipFile: string, context: ToolContext): Promise<{ path: string; size: number }> {
  const path = resolveInWorkspace(context.workspace, zipFile, 'zip_file');
  const info = await stat(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') throw zipFileError(`'${zipFile}' does not exist in the workspace`);
    throw error;
  });
  if (!info.isFile()) throw zipFileError(`'${zipFile}' is not a file`);
  if (info.size > DIRECT_UPLOAD_LIMIT_BYTES)
    throw zipFileError(
      `'${zipFile}' is ${(info.size / MEGABYTE).toFixed(1)} MB, over Lambda's 50 MB limit for direct upload; upload it to S3 (upload_s3) and pass s3_bucket and s3_key instead`,
    );
  return { path, size: info.size };
}

/** Resolves the code source and computes its CodeSha256 (an S3 object is streamed once to hash it). */
export async function prepareCode(
  args: CodeSourceArgs,
  region: string,
  context: ToolContext,
): Promise<PreparedCode> {
  if (args.zip_file !== undefined) {
    const { path, size } = await localZip(args.zip_file, context);
    return { kind: 'zip', path, size, sha256: await lambdaCodeSha256(path, context.signal) };
  }
  const bucket = args.s3_bucket as string;
  const key = args.s3_key as string;
  context.progress(`hashing s3://${bucket}/${key}`);
  const { GetObjectCommand } = await s3Sdk();
  const object = await callAws(`GetObject s3://${bucket}/${key}`, () =>
    context.aws.s3(region).send(new GetObjectCommand({ Bucket: bucket, Key: key }), {
      abortSignal: context.signal,
    }),
  );
  const body = object.Body as AsyncIterable<Uint8Array> | undefined;
  if (!body) throw new CopilotError('aws_error', `GetObject s3://${bucket}/${key} returned no content`);
  const sha256 = await sha256Base64(body);
  return {
    kind: 's3',
    bucket,
    key,
    ...(object.VersionId ? { versionId: object.VersionId } : {}),
    size: object.ContentLength ?? 0,
    sha256,
  };
}

export async function codeFields(code: PreparedCode): Promise<CodeFields> {
  if (code.kind === 'zip') return { ZipFile: await readFile(code.path) };
  return {
    S3Bucket: code.bucket,
    S3Key: code.key,
    ...(code.versionId ? { S3ObjectVersion: code.versionId } : {}),
  };
}

/** What a preview can say about the new code without downloading anything large. */
export interface CodeInspection {
  /** Known for a workspace zip; an S3 object is only hashed at run time. */
  sha256?: string;
  description: string;
  warnings: string[];
}

export async function inspectCode(
  args: CodeSourceArgs,
  region: string,
  context: ToolContext,
): Promise<CodeInspection> {
  if (args.zip_file !== undefined) {
    try {
      const { path, size } = await localZip(args.zip_file, context);
      const sha256 = await lambdaCodeSha256(path, context.signal);
      return { sha256, description: `${args.zip_file} (${size} bytes)`, warnings: [] };
    } catch (error) {
      if (error instanceof CopilotError)
        return { description: args.zip_file, warnings: [error.message.replace(/^zip_file: /, 'zip file ')] };
      throw error;
    }
  }
  const where = `s3://${args.s3_bucket}/${args.s3_key}`;
  const { HeadObjectCommand } = await s3Sdk();
  try {
    const head = await context.aws
      .s3(region)
      .send(new HeadObjectCommand({ Bucket: args.s3_bucket, Key: args.s3_key }), {
        abortSignal: context.signal,
      });
    return {
      description: `${where} (${head.ContentLength ?? 0} bytes; its CodeSha256 is computed at run time)`,
      warnings: [],
    };
  } catch (error) {
    if (hasAwsCode(error, 'NotFound', 'NoSuchKey', 'NoSuchBucket', '404'))
      return { description: where, warnings: [`code object ${where} does not exist`] };
    throw error;
  }
}
