/** download_s3: one S3 object streamed to a file inside the workspace, never over a file unless asked. */
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, relative } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { z } from 'zod';
import { defineTool, type ToolPreview } from '../define-tool.js';
import { type FieldError, fieldError } from '../field-error.js';
import { resolveInWorkspace } from '../workspace/paths.js';
import { regionOf, regionSchema } from './regions.js';
import { callS3 } from './s3-buckets.js';
import { bucketNameSchema, objectKeySchema } from './s3-names.js';
import { bareEtag } from './s3-objects.js';
import { s3Sdk } from './sdk.js';

export interface DownloadS3Result {
  bucket_name: string;
  object_name: string;
  /** Where the file landed, relative to the workspace. */
  file_path: string;
  size: number;
  etag: string;
  content_type: string | undefined;
}

function filePathError(code: 'conflict' | 'invalid_input', message: string): FieldError {
  return fieldError(code, 'file_path', `file_path: ${message}`);
}

/** Refuses a directory, and an existing file unless overwriting was asked for. */
async function checkTarget(path: string, given: string, overwrite: boolean): Promise<void> {
  const existing = await stat(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (!existing) return;
  if (!existing.isFile()) throw filePathError('invalid_input', `'${given}' exists and is not a regular file`);
  if (!overwrite)
    throw filePathError('conflict', `'${given}' already exists; pass overwrite: true to replace it`);
}

export const downloadS3 = defineTool({
  name: 'download_s3',
  description:
    'Download an S3 object to a file in the workspace; refuses to replace an existing file unless overwrite is true.',
  input: z.strictObject({
    bucket_name: bucketNameSchema,
    object_name: objectKeySchema,
    file_path: z
      .string()
      .min(1)
      .describe('destination path, relative to the workspace; parent folders are created'),
    region: regionSchema.optional(),
    overwrite: z.boolean().default(false).describe('replace the file if it already exists (default false)'),
  }),
  risk: 'read',
  iam: ['s3:GetObject'],
  preview: async (args, context): Promise<ToolPreview> => {
    const path = resolveInWorkspace(context.workspace, args.file_path, 'file_path');
    const warnings: string[] = [];
    await checkTarget(path, args.file_path, args.overwrite).catch((error: unknown) => {
      warnings.push(error instanceof Error ? error.message : String(error));
    });
    return {
      summary: `download s3://${args.bucket_name}/${args.object_name} to ${args.file_path}`,
      method: 'local-check',
      changes: [],
      warnings,
    };
  },
  run: async (args, context): Promise<DownloadS3Result> => {
    const path = resolveInWorkspace(context.workspace, args.file_path, 'file_path');
    await checkTarget(path, args.file_path, args.overwrite);
    await mkdir(dirname(path), { recursive: true });
    const target = `s3://${args.bucket_name}/${args.object_name}`;
    const { GetObjectCommand } = await s3Sdk();
    const object = await callS3(`GetObject ${target}`, () =>
      context.aws
        .s3(regionOf(args, context))
        .send(new GetObjectCommand({ Bucket: args.bucket_name, Key: args.object_name }), {
          abortSignal: context.signal,
        }),
    );
    // A temporary sibling then a rename: a failed or cancelled download never leaves half a file behind.
    const partial = join(dirname(path), `.${basename(path)}.${randomBytes(4).toString('hex')}.part`);
    try {
      await pipeline(object.Body as Readable, createWriteStream(partial, { flags: 'wx' }), {
        signal: context.signal,
      });
      await rename(partial, path);
    } catch (error) {
      await rm(partial, { force: true });
      throw error;
    }
    const size = (await stat(path)).size;
    context.progress(`downloaded ${target} (${size} bytes) to ${args.file_path}`);
    return {
      bucket_name: args.bucket_name,
      object_name: args.object_name,
      file_path: relative(resolveInWorkspace(context.workspace, '.'), path),
      size,
      etag: bareEtag(object.ETag),
      content_type: object.ContentType,
    };
  },
  resourceIds: (args) => [`s3://${args.bucket_name}/${args.object_name}`],
});
