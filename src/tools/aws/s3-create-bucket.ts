/** create_bucket: a private, encrypted bucket, or the one this account already has under that name. */
import { z } from 'zod';
import { defineTool, type ToolContext, type ToolPreview } from '../define-tool.js';
import { regionOf, regionSchema } from './regions.js';
import { type BucketOperation, type BucketProbe, ensureBucket, probeBucket } from './s3-buckets.js';
import { bucketNameSchema } from './s3-names.js';
import { undoS3Changes } from './s3-undo.js';

export interface CreateBucketResult {
  bucket_name: string;
  region: string;
  operation: BucketOperation;
}

/** What creating `bucket` in `region` would do, from HeadBucket alone. */
export async function previewBucket(
  context: ToolContext,
  bucket: string,
  region: string,
  creating: string,
): Promise<Pick<ToolPreview, 'changes' | 'warnings'> & { probe: BucketProbe }> {
  const probe = await probeBucket(context, bucket, region);
  if (probe.state === 'missing')
    return {
      probe,
      changes: [{ kind: 'create', resource: `s3://${bucket}`, detail: `${creating} in ${region}` }],
      warnings: [],
    };
  if (probe.state === 'owned') {
    const elsewhere = probe.region !== region;
    return {
      probe,
      changes: [
        {
          kind: 'no-op',
          resource: `s3://${bucket}`,
          detail: `bucket exists in ${probe.region}; left as it is`,
        },
      ],
      warnings: elsewhere ? [`bucket ${bucket} is in ${probe.region}, not ${region}; it stays there`] : [],
    };
  }
  return {
    probe,
    changes: [],
    warnings: [
      `bucket name '${bucket}' exists but is not readable with these credentials (HTTP ${probe.status}); it most likely belongs to another AWS account and the call will fail with BucketAlreadyExists`,
    ],
  };
}

export const createBucket = defineTool({
  name: 'create_bucket',
  description:
    'Create an S3 bucket with public access blocked, SSE-S3 encryption and ACLs disabled; reports "exists" when this account already owns it.',
  input: z.strictObject({
    bucket_name: bucketNameSchema,
    region: regionSchema.optional(),
    block_public_access: z
      .boolean()
      .default(true)
      .describe('block every form of public access to the new bucket (default true)'),
  }),
  risk: 'write',
  iam: [
    's3:CreateBucket',
    's3:ListBucket',
    's3:PutBucketPublicAccessBlock',
    's3:PutEncryptionConfiguration',
    's3:PutBucketOwnershipControls',
    's3:ListBucketVersions',
    's3:DeleteObject',
    's3:DeleteObjectVersion',
    's3:DeleteBucket',
  ],
  idempotent: true,
  preview: async (args, context) => {
    const region = regionOf(args, context);
    const settings = args.block_public_access
      ? 'public access blocked, SSE-S3, ACLs disabled'
      : 'SSE-S3, ACLs disabled, public access NOT blocked';
    const { probe, changes, warnings } = await previewBucket(
      context,
      args.bucket_name,
      region,
      `new bucket (${settings})`,
    );
    return {
      summary:
        probe.state === 'missing'
          ? `create bucket ${args.bucket_name} in ${region}`
          : `bucket ${args.bucket_name} is not created`,
      method: 'describe-diff',
      changes,
      warnings,
    };
  },
  run: async (args, context): Promise<CreateBucketResult> => {
    const outcome = await ensureBucket(
      context,
      args.bucket_name,
      regionOf(args, context),
      args.block_public_access,
    );
    return { bucket_name: args.bucket_name, ...outcome };
  },
  compensate: ({ created }, context) =>
    undoS3Changes(
      context,
      created,
      'nothing to undo: the bucket existed before this call and is left as it is',
    ),
  resourceIds: (args) => [args.bucket_name],
});
