/** upload_s3: one workspace file to one S3 object, multipart above 8 MiB, undoable when it can be. */
import { basename } from 'node:path';
import { z } from 'zod';
import { isCopilotError } from '../../errors/copilot-error.js';
import { defineTool, type PreviewChange, type ToolContext, type ToolPreview } from '../define-tool.js';
import { resolveInWorkspace } from '../workspace/paths.js';
import { regionOf, regionSchema } from './regions.js';
import { probeBucket } from './s3-buckets.js';
import { contentTypeFor } from './s3-content-types.js';
import { bucketNameSchema, objectKeySchema } from './s3-names.js';
import {
  fileSize,
  formatBytes,
  headObject,
  isMultipart,
  isVersioned,
  localEtag,
  partSizeFor,
  recordUpload,
  uploadFile,
} from './s3-objects.js';
import { undoS3Changes } from './s3-undo.js';

export interface UploadS3Result {
  bucket_name: string;
  object_name: string;
  /** The object's ETag, without the quotes S3 puts around it. */
  etag: string;
  size: number;
  multipart: boolean;
}

const input = z.strictObject({
  bucket_name: bucketNameSchema,
  file_path: z.string().min(1).describe('path of the file to upload, relative to the workspace'),
  object_name: objectKeySchema.optional().describe('object key; defaults to the file name'),
  region: regionSchema.optional(),
  content_type: z
    .string()
    .min(1)
    .max(255)
    .optional()
    .describe('Content-Type to store; guessed from the file extension when absent'),
});

type UploadArgs = z.infer<typeof input>;

const keyOf = (args: UploadArgs) => args.object_name ?? basename(args.file_path);

function describeUpload(size: number, contentType: string): string {
  const method = isMultipart(size) ? `multipart, ${Math.ceil(size / partSizeFor(size))} parts` : 'single PUT';
  return `${formatBytes(size)}, ${contentType}, ${method}`;
}

/** The local file's size, or undefined when an earlier plan step has yet to produce it. */
async function sizeIfPresent(path: string, given: string): Promise<number | undefined> {
  return fileSize(path, 'file_path', given).catch((error: unknown) => {
    if (isCopilotError(error) && error.code === 'not_found') return undefined;
    throw error;
  });
}

/** HeadObject-based diff: a new object, or an overwrite with size and ETag before -> after. */
async function previewUpload(args: UploadArgs, context: ToolContext): Promise<ToolPreview> {
  const key = keyOf(args);
  const target = `s3://${args.bucket_name}/${key}`;
  const path = resolveInWorkspace(context.workspace, args.file_path, 'file_path');
  const contentType = args.content_type ?? contentTypeFor(args.file_path);
  const size = await sizeIfPresent(path, args.file_path);
  const warnings: string[] = [];
  if (size === undefined)
    warnings.push(
      `${args.file_path} does not exist yet; it must exist in the workspace when the upload runs`,
    );
  const what = size === undefined ? contentType : describeUpload(size, contentType);
  let change: PreviewChange = { kind: 'create', resource: target, detail: `new object, ${what}` };
  const probe = await probeBucket(context, args.bucket_name, regionOf(args, context));
  if (probe.state === 'missing')
    warnings.push(
      `bucket ${args.bucket_name} does not exist; the upload would fail with NoSuchBucket (create it first)`,
    );
  if (probe.state === 'foreign')
    warnings.push(
      `bucket ${args.bucket_name} is not accessible with these credentials (HTTP ${probe.status})`,
    );
  const before =
    probe.state === 'owned' ? await headObject(context, args.bucket_name, key, probe.region) : undefined;
  if (probe.state === 'owned' && before) {
    const after = size === undefined ? '(unknown)' : await localEtag(path, size);
    const same = before.etag === after ? ' (identical content)' : '';
    change = {
      kind: 'update',
      resource: target,
      detail: `overwrite: size ${before.size} -> ${size ?? '?'} bytes, etag ${before.etag} -> ${after}${same}`,
    };
    if (!(await isVersioned(context, args.bucket_name, probe.region)))
      warnings.push(
        `${target} exists and bucket versioning is off: the overwrite cannot be undone (only a versioned bucket keeps the previous content)`,
      );
  }
  return {
    summary: `upload ${args.file_path} to ${target}`,
    method: 'describe-diff',
    changes: [change],
    warnings,
  };
}

export const uploadS3 = defineTool({
  name: 'upload_s3',
  description:
    'Upload a file from the workspace to an S3 object (multipart above 8 MiB), with its Content-Type guessed from the extension unless given.',
  input,
  risk: 'write',
  iam: [
    's3:PutObject',
    's3:GetObject',
    's3:ListBucket',
    's3:GetBucketVersioning',
    's3:DeleteObject',
    's3:DeleteObjectVersion',
  ],
  preview: previewUpload,
  run: async (args, context): Promise<UploadS3Result> => {
    const region = regionOf(args, context);
    const key = keyOf(args);
    const path = resolveInWorkspace(context.workspace, args.file_path, 'file_path');
    const size = await fileSize(path, 'file_path', args.file_path);
    const before = await headObject(context, args.bucket_name, key, region);
    const request = {
      bucket: args.bucket_name,
      key,
      region,
      path,
      size,
      contentType: args.content_type ?? contentTypeFor(args.file_path),
    };
    const outcome = await uploadFile(context, request);
    recordUpload(context, request, outcome, before !== undefined);
    return {
      bucket_name: args.bucket_name,
      object_name: key,
      etag: outcome.etag,
      size: outcome.size,
      multipart: outcome.multipart,
    };
  },
  compensate: ({ created }, context) =>
    undoS3Changes(context, created, 'nothing to undo: no object was uploaded'),
  resourceIds: (args) => [`s3://${args.bucket_name}/${keyOf(args)}`],
  targets: (args) => [{ kind: 's3-bucket', bucket: args.bucket_name, region: args.region }],
});
