/** list_s3_objects: the keys of a bucket (optionally under a prefix), page after page up to a limit. */
import { z } from 'zod';
import { defineTool, readOnlyPreview } from '../define-tool.js';
import { regionOf, regionSchema } from './regions.js';
import { callS3 } from './s3-buckets.js';
import { bucketNameSchema } from './s3-names.js';
import { bareEtag } from './s3-objects.js';
import { s3Sdk } from './sdk.js';

export interface ListedObject {
  key: string;
  size: number;
  last_modified: string | undefined;
  etag: string;
}

export interface ListS3ObjectsResult {
  objects: ListedObject[];
  /** True when the bucket holds more matching keys than were returned. */
  truncated: boolean;
  count: number;
}

/** S3 returns at most 1000 keys per request. */
const PAGE_SIZE = 1000;

export const listS3Objects = defineTool({
  name: 'list_s3_objects',
  description: 'List the objects of an S3 bucket, optionally under a key prefix, with size, date and ETag.',
  input: z.strictObject({
    bucket_name: bucketNameSchema,
    prefix: z.string().max(1024).optional().describe('only keys starting with this prefix, e.g. assets/'),
    max_keys: z
      .int('max_keys must be a whole number')
      .min(1, 'max_keys must be between 1 and 100000')
      .max(100_000, 'max_keys must be between 1 and 100000')
      .default(1000)
      .describe('most objects to return (1-100000, default 1000)'),
    region: regionSchema.optional(),
  }),
  risk: 'read',
  iam: ['s3:ListBucket'],
  idempotent: true,
  preview: async (args) =>
    readOnlyPreview(`list up to ${args.max_keys} objects of s3://${args.bucket_name}/${args.prefix ?? ''}`),
  run: async (args, context): Promise<ListS3ObjectsResult> => {
    const { ListObjectsV2Command } = await s3Sdk();
    const s3 = context.aws.s3(regionOf(args, context));
    const objects: ListedObject[] = [];
    let token: string | undefined;
    let more = true;
    while (more && objects.length < args.max_keys) {
      const page = await callS3(`ListObjectsV2 ${args.bucket_name}`, () =>
        s3.send(
          new ListObjectsV2Command({
            Bucket: args.bucket_name,
            Prefix: args.prefix,
            ContinuationToken: token,
            MaxKeys: Math.min(PAGE_SIZE, args.max_keys - objects.length),
          }),
          { abortSignal: context.signal },
        ),
      );
      for (const entry of page.Contents ?? []) {
        objects.push({
          key: entry.Key ?? '',
          size: entry.Size ?? 0,
          last_modified: entry.LastModified?.toISOString(),
          etag: bareEtag(entry.ETag),
        });
      }
      token = page.NextContinuationToken;
      more = Boolean(page.IsTruncated && token);
    }
    return { objects, truncated: more, count: objects.length };
  },
  resourceIds: (args) => [args.bucket_name],
});
