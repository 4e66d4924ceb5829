/** publish_static_site: a built front end (e.g. frontend/dist) served publicly from an S3 website bucket. */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { isCopilotError } from '../../errors/copilot-error.js';
import { defineTool, type PreviewChange, type ToolContext, type ToolPreview } from '../define-tool.js';
import { type FieldError, fieldError } from '../field-error.js';
import { resolveInWorkspace } from '../workspace/paths.js';
import { regionOf, regionSchema } from './regions.js';
import { ensureBucket } from './s3-buckets.js';
import { previewBucket } from './s3-create-bucket.js';
import { listS3Objects } from './s3-list.js';
import { bucketNameSchema } from './s3-names.js';
import { formatBytes, isVersioned, recordUpload, uploadFile } from './s3-objects.js';
import { openBucketAsWebsite } from './s3-site-access.js';
import { collectSiteFiles, type SiteFile, websiteUrl } from './s3-site-files.js';
import { undoS3Changes } from './s3-undo.js';

export interface PublishStaticSiteResult {
  bucket_name: string;
  website_url: string;
  files: number;
  bytes: number;
}

const input = z.strictObject({
  bucket_name: bucketNameSchema,
  source_dir: z.string().min(1).describe('built site folder in the workspace, e.g. frontend/dist'),
  region: regionSchema.optional(),
  index_document: z
    .string()
    .regex(/^[^/]+$/, 'index_document is a file name without slashes, e.g. index.html')
    .default('index.html')
    .describe('page served for folder requests (default index.html); must exist in source_dir'),
  error_document: z.string().min(1).optional().describe('page served for errors, e.g. 404.html'),
  cache_control: z
    .string()
    .min(1)
    .max(256)
    .optional()
    .describe('Cache-Control for files other than HTML pages and hashed assets/ files'),
});

type PublishArgs = z.infer<typeof input>;

const UPLOAD_CONCURRENCY = 4;

function sourceError(message: string): FieldError {
  return fieldError('invalid_input', 'source_dir', `source_dir: ${message}`);
}

/** The site folder's real path and files; refuses a folder without the index document. */
async function readSite(args: PublishArgs, context: ToolContext): Promise<SiteFile[]> {
  const root = resolveInWorkspace(context.workspace, args.source_dir, 'source_dir');
  const info = await stat(root).catch(() => undefined);
  if (!info?.isDirectory())
    throw sourceError(`'${args.source_dir}' is not a folder in the workspace (build the site first)`);
  const index = await stat(join(root, args.index_document)).catch(() => undefined);
  if (!index?.isFile())
    throw sourceError(
      `'${args.source_dir}' has no ${args.index_document}; publish the built site folder (e.g. frontend/dist)`,
    );
  return collectSiteFiles(context.workspace, root, args.cache_control);
}

async function existingKeys(context: ToolContext, bucket: string, region: string): Promise<Set<string>> {
  const listing = await listS3Objects.run(
    listS3Objects.input.parse({ bucket_name: bucket, max_keys: 100_000, region }),
    context,
  );
  return new Set(listing.objects.map((object) => object.key));
}

async function uploadAll(
  context: ToolContext,
  files: SiteFile[],
  target: { bucket: string; region: string; existing: Set<string> },
): Promise<void> {
  let next = 0;
  let done = 0;
  const worker = async () => {
    for (let file = files[next++]; file; file = files[next++]) {
      const request = {
        bucket: target.bucket,
        region: target.region,
        key: file.key,
        path: file.path,
        size: file.size,
        contentType: file.contentType,
        cacheControl: file.cacheControl,
      };
      const outcome = await uploadFile(context, request);
      recordUpload(context, request, outcome, target.existing.has(file.key));
      done += 1;
      if (done % 25 === 0 || done === files.length)
        context.progress(`uploaded ${done} of ${files.length} files`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(UPLOAD_CONCURRENCY, files.length) }, worker));
}

/** One change per file: new, or overwriting an object already in the bucket. */
function fileChanges(bucket: string, files: SiteFile[], existing: Set<string>): PreviewChange[] {
  return files.map((file) => ({
    kind: existing.has(file.key) ? 'update' : 'create',
    resource: `s3://${bucket}/${file.key}`,
    detail: [
      formatBytes(file.size),
      file.contentType,
      file.cacheControl && `Cache-Control: ${file.cacheControl}`,
    ]
      .filter(Boolean)
      .join(', '),
  }));
}

function accessChanges(args: PublishArgs): PreviewChange[] {
  const bucket = `s3://${args.bucket_name}`;
  const errorPage = args.error_document ? `, error ${args.error_document}` : '';
  return [
    { kind: 'delete', resource: `${bucket} public access block`, detail: 'removed for this bucket only' },
    {
      kind: 'update',
      resource: `${bucket} bucket policy`,
      detail: 'public read (s3:GetObject for everyone)',
    },
    {
      kind: 'update',
      resource: `${bucket} website hosting`,
      detail: `index ${args.index_document}${errorPage}`,
    },
  ];
}

async function previewSite(args: PublishArgs, context: ToolContext): Promise<ToolPreview> {
  const bucket = args.bucket_name;
  const { probe, changes, warnings } = await previewBucket(
    context,
    bucket,
    regionOf(args, context),
    'new website bucket',
  );
  warnings.unshift(
    `bucket ${bucket} becomes PUBLICLY READABLE: its public access block is removed and a bucket policy lets anyone on the internet read (s3:GetObject) every object in it`,
  );
  // The folder may be built by an earlier step of the plan: a missing one is a warning here, an error at run.
  const files = await readSite(args, context).catch((error: unknown) => {
    if (!isCopilotError(error) || error.code !== 'invalid_input') throw error;
    warnings.push(error.message);
    return [];
  });
  const existing =
    probe.state === 'owned' ? await existingKeys(context, bucket, probe.region) : new Set<string>();
  const overwrites = files.filter((file) => existing.has(file.key)).length;
  if (probe.state === 'owned' && overwrites > 0 && !(await isVersioned(context, bucket, probe.region)))
    warnings.push(
      `${overwrites} existing object(s) will be overwritten and bucket versioning is off: their previous content cannot be restored`,
    );
  const bytes = files.reduce((sum, file) => sum + file.size, 0);
  return {
    summary: `publish ${files.length} files (${formatBytes(bytes)}) from ${args.source_dir} as a public website in bucket ${bucket}`,
    method: 'describe-diff',
    changes: [...changes, ...fileChanges(bucket, files, existing), ...accessChanges(args)],
    warnings,
  };
}

export const publishStaticSite = defineTool({
  name: 'publish_static_site',
  description:
    'Publish a built static site folder (e.g. frontend/dist) to an S3 bucket, creating it if needed, and make it a PUBLIC website; returns its URL.',
  input,
  risk: 'write',
  iam: [
    's3:CreateBucket',
    's3:ListBucket',
    's3:ListBucketVersions',
    's3:GetBucketVersioning',
    's3:PutEncryptionConfiguration',
    's3:PutBucketOwnershipControls',
    's3:GetBucketPublicAccessBlock',
    's3:PutBucketPublicAccessBlock',
    's3:GetBucketPolicy',
    's3:PutBucketPolicy',
    's3:DeleteBucketPolicy',
    's3:GetBucketWebsite',
    's3:PutBucketWebsite',
    's3:DeleteBucketWebsite',
    's3:PutObject',
    's3:DeleteObject',
    's3:DeleteObjectVersion',
    's3:DeleteBucket',
  ],
  preview: previewSite,
  run: async (args, context): Promise<PublishStaticSiteResult> => {
    const files = await readSite(args, context);
    const bucket = args.bucket_name;
    const { region, operation } = await ensureBucket(context, bucket, regionOf(args, context), true);
    const existing = operation === 'exists' ? await existingKeys(context, bucket, region) : new Set<string>();
    await uploadAll(context, files, { bucket, region, existing });
    await openBucketAsWebsite(context, bucket, region, {
      IndexDocument: { Suffix: args.index_document },
      ...(args.error_document ? { ErrorDocument: { Key: args.error_document } } : {}),
    });
    return {
      bucket_name: bucket,
      website_url: websiteUrl(bucket, region, context.aws.endpointUrl, args.index_document),
      files: files.length,
      bytes: files.reduce((sum, file) => sum + file.size, 0),
    };
  },
  compensate: ({ created }, context) =>
    undoS3Changes(context, created, 'nothing to undo: nothing was changed'),
  resourceIds: (args) => [args.bucket_name],
  targets: (args) => [{ kind: 's3-bucket', bucket: args.bucket_name, region: args.region }],
});
