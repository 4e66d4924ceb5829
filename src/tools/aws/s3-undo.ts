/** Compensation for every S3 tool: walks what a call recorded, newest first, and puts it back. */
import type { PublicAccessBlockConfiguration, WebsiteConfiguration } from '@aws-sdk/client-s3';
import type { CreatedResource, ToolContext } from '../define-tool.js';
import { hasAwsCode } from './aws-error.js';
import { callS3, deleteBucket, wrapS3Error } from './s3-buckets.js';
import { s3Sdk } from './sdk.js';

/** Resource types the S3 tools record; `detail.previous` holds the value to restore (null: there was none). */
export const S3_RESOURCE = {
  bucket: 's3:bucket',
  object: 's3:object',
  publicAccessBlock: 's3:public-access-block',
  policy: 's3:bucket-policy',
  website: 's3:bucket-website',
} as const;

interface Detail {
  bucket?: string;
  key?: string;
  version_id?: string;
  existed_before?: boolean;
  previous?: unknown;
}

async function undoObject(context: ToolContext, detail: Detail, region: string): Promise<string> {
  const target = `s3://${detail.bucket}/${detail.key}`;
  if (detail.existed_before && !detail.version_id)
    return `cannot restore the previous content of ${target}: bucket versioning was off, so the overwrite is permanent`;
  const { DeleteObjectCommand } = await s3Sdk();
  try {
    await context.aws.s3(region).send(
      new DeleteObjectCommand({
        Bucket: detail.bucket,
        Key: detail.key,
        ...(detail.version_id ? { VersionId: detail.version_id } : {}),
      }),
      { abortSignal: context.signal },
    );
  } catch (error) {
    if (hasAwsCode(error, 'NoSuchBucket')) return `${target} is already gone with its bucket`;
    throw wrapS3Error(error, `DeleteObject ${target}`);
  }
  return detail.existed_before
    ? `deleted the new version of ${target}; the previous version is current again`
    : `deleted ${target}`;
}

async function undoSetting(
  context: ToolContext,
  type: string,
  detail: Detail,
  region: string,
): Promise<string> {
  const {
    DeleteBucketPolicyCommand,
    DeleteBucketWebsiteCommand,
    PutBucketPolicyCommand,
    PutBucketWebsiteCommand,
    PutPublicAccessBlockCommand,
  } = await s3Sdk();
  const s3 = context.aws.s3(region);
  const options = { abortSignal: context.signal };
  const Bucket = detail.bucket;
  if (type === S3_RESOURCE.publicAccessBlock) {
    if (!detail.previous) return `bucket ${Bucket} had no public access block before; none restored`;
    await callS3(`PutPublicAccessBlock ${Bucket}`, () =>
      s3.send(
        new PutPublicAccessBlockCommand({
          Bucket,
          PublicAccessBlockConfiguration: detail.previous as PublicAccessBlockConfiguration,
        }),
        options,
      ),
    );
    return `restored the public access block of ${Bucket}`;
  }
  if (type === S3_RESOURCE.policy) {
    await callS3(`restore bucket policy of ${Bucket}`, () =>
      detail.previous
        ? s3.send(new PutBucketPolicyCommand({ Bucket, Policy: detail.previous as string }), options)
        : s3.send(new DeleteBucketPolicyCommand({ Bucket }), options),
    );
    return detail.previous ? `restored the previous policy of ${Bucket}` : `deleted the policy of ${Bucket}`;
  }
  await callS3(`restore website configuration of ${Bucket}`, () =>
    detail.previous
      ? s3.send(
          new PutBucketWebsiteCommand({
            Bucket,
            WebsiteConfiguration: detail.previous as WebsiteConfiguration,
          }),
          options,
        )
      : s3.send(new DeleteBucketWebsiteCommand({ Bucket }), options),
  );
  return detail.previous
    ? `restored the previous website configuration of ${Bucket}`
    : `turned website hosting of ${Bucket} off`;
}

async function undoOne(context: ToolContext, resource: CreatedResource): Promise<string> {
  const region = resource.region ?? context.aws.defaultRegion;
  const detail = (resource.detail ?? {}) as Detail;
  switch (resource.type) {
    case S3_RESOURCE.bucket:
      return deleteBucket(context, resource.id, region);
    case S3_RESOURCE.object:
      return undoObject(context, detail, region);
    case S3_RESOURCE.publicAccessBlock:
    case S3_RESOURCE.policy:
    case S3_RESOURCE.website:
      try {
        return await undoSetting(context, resource.type, detail, region);
      } catch (error) {
        if (hasAwsCode(error, 'NoSuchBucket')) return `bucket ${detail.bucket} is already gone`;
        throw error;
      }
    default:
      return `nothing known to undo for ${resource.type} ${resource.id}`;
  }
}

/** Undoes the recorded S3 changes in reverse order; returns one line per change. */
export async function undoS3Changes(
  context: ToolContext,
  created: CreatedResource[],
  nothing: string,
): Promise<string> {
  const s3Changes = created.filter((resource) => resource.type.startsWith('s3:'));
  if (s3Changes.length === 0) return nothing;
  // A bucket this call created is deleted with everything in it; undoing its parts first is wasted calls.
  const doomed = new Set(
    s3Changes.filter((change) => change.type === S3_RESOURCE.bucket).map((change) => change.id),
  );
  const lines: string[] = [];
  let skipped = 0;
  for (const resource of [...s3Changes].reverse()) {
    const bucket = (resource.detail as Detail | undefined)?.bucket;
    if (resource.type !== S3_RESOURCE.bucket && bucket && doomed.has(bucket)) skipped += 1;
    else lines.push(await undoOne(context, resource));
  }
  if (skipped > 0)
    lines.unshift(`${skipped} change(s) inside buckets created by this call go with those buckets`);
  return lines.join('\n');
}
