/** Bucket-level S3 steps shared by the S3 tools: probe, create safely, empty and delete. */
import type { BucketLocationConstraint, ObjectIdentifier } from '@aws-sdk/client-s3';
import { CopilotError } from '../../errors/copilot-error.js';
import type { ToolContext } from '../define-tool.js';
import { fieldError } from '../field-error.js';
import { callAws, hasAwsCode, isAwsServiceError, wrapAwsError } from './aws-error.js';
import { s3Sdk } from './sdk.js';

/** What HeadBucket says about a name: free, ours (and where), or taken by an account we cannot read. */
export type BucketProbe =
  | { state: 'missing' }
  | { state: 'owned'; region: string }
  | { state: 'foreign'; status: number };

export type BucketOperation = 'created' | 'exists';

function statusOf(error: unknown): number | undefined {
  return isAwsServiceError(error) ? error.$metadata?.httpStatusCode : undefined;
}

/** The `x-amz-bucket-region` header S3 puts on redirects and refusals, when present. */
function bucketRegionOf(error: unknown): string | undefined {
  const response = (error as { $response?: { headers?: Record<string, string | undefined> } }).$response;
  return response?.headers?.['x-amz-bucket-region'];
}

/**
 * Like wrapAwsError, but a request sent to the wrong region (S3 answers 301) says which region
 * the bucket is in, so the caller can simply retry with it.
 */
export function wrapS3Error(error: unknown, what: string): unknown {
  const region = bucketRegionOf(error);
  if (statusOf(error) !== 301 || !region) return wrapAwsError(error, what);
  return fieldError(
    'invalid_input',
    'region',
    `${what} failed: the bucket is in ${region}; call again with region '${region}'`,
    { awsCode: 'PermanentRedirect', cause: error },
  );
}

/** callAws for S3: failures keep their AWS code, and a wrong region names the right one. */
export async function callS3<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw wrapS3Error(error, what);
  }
}

export async function probeBucket(
  context: ToolContext,
  bucket: string,
  region: string,
): Promise<BucketProbe> {
  const { HeadBucketCommand } = await s3Sdk();
  try {
    const head = await context.aws
      .s3(region)
      .send(new HeadBucketCommand({ Bucket: bucket }), { abortSignal: context.signal });
    return { state: 'owned', region: head.BucketRegion ?? region };
  } catch (error) {
    const status = statusOf(error);
    if (status === 404) return { state: 'missing' };
    const actual = bucketRegionOf(error);
    if (status === 301 && actual && actual !== region) return probeBucket(context, bucket, actual);
    if (status === 403) return { state: 'foreign', status };
    throw wrapAwsError(error, `HeadBucket ${bucket}`);
  }
}

function takenError(bucket: string, cause: unknown): CopilotError {
  const wrapped = wrapAwsError(cause, `CreateBucket ${bucket}`) as CopilotError;
  return new CopilotError(
    'conflict',
    `bucket name '${bucket}' is already taken by another AWS account (bucket names are global); choose another name`,
    { awsCode: wrapped.awsCode ?? 'BucketAlreadyExists', awsRequestId: wrapped.awsRequestId, cause },
  );
}

/** Optional hardening an emulator may not implement: logged and skipped there, enforced on AWS. */
async function bestEffort(context: ToolContext, what: string, call: () => Promise<unknown>): Promise<void> {
  try {
    await call();
  } catch (error) {
    if (!hasAwsCode(error, 'NotImplemented') && statusOf(error) !== 501) throw wrapAwsError(error, what);
    context.log.warn({ what }, 'the S3 endpoint does not implement this setting; skipped');
  }
}

/** Blocks public access, turns on SSE-S3 and disables ACLs on a bucket this call just created. */
async function secureNewBucket(
  context: ToolContext,
  bucket: string,
  region: string,
  blockPublicAccess: boolean,
): Promise<void> {
  const { PutBucketEncryptionCommand, PutBucketOwnershipControlsCommand, PutPublicAccessBlockCommand } =
    await s3Sdk();
  const s3 = context.aws.s3(region);
  const options = { abortSignal: context.signal };
  if (blockPublicAccess) {
    await callAws(`PutPublicAccessBlock ${bucket}`, () =>
      s3.send(
        new PutPublicAccessBlockCommand({
          Bucket: bucket,
          PublicAccessBlockConfiguration: {
            BlockPublicAcls: true,
            IgnorePublicAcls: true,
            BlockPublicPolicy: true,
            RestrictPublicBuckets: true,
          },
        }),
        options,
      ),
    );
  }
  await bestEffort(context, `PutBucketEncryption ${bucket}`, () =>
    s3.send(
      new PutBucketEncryptionCommand({
        Bucket: bucket,
        ServerSideEncryptionConfiguration: {
          Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
        },
      }),
      options,
    ),
  );
  await bestEffort(context, `PutBucketOwnershipControls ${bucket}`, () =>
    s3.send(
      new PutBucketOwnershipControlsCommand({
        Bucket: bucket,
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      }),
      options,
    ),
  );
}

/**
 * Creates the bucket unless this account already has it. Only a bucket this call brought into
 * existence is recorded as created, so compensation never deletes a bucket someone already had.
 */
export async function ensureBucket(
  context: ToolContext,
  bucket: string,
  region: string,
  blockPublicAccess: boolean,
): Promise<{ region: string; operation: BucketOperation }> {
  const probe = await probeBucket(context, bucket, region);
  if (probe.state === 'owned') return { region: probe.region, operation: 'exists' };
  const { CreateBucketCommand, waitUntilBucketExists } = await s3Sdk();
  const s3 = context.aws.s3(region);
  try {
    // us-east-1 is the one region that rejects an explicit LocationConstraint.
    await s3.send(
      new CreateBucketCommand(
        region === 'us-east-1'
          ? { Bucket: bucket }
          : {
              Bucket: bucket,
              CreateBucketConfiguration: { LocationConstraint: region as BucketLocationConstraint },
            },
      ),
      { abortSignal: context.signal },
    );
  } catch (error) {
    if (hasAwsCode(error, 'BucketAlreadyOwnedByYou')) return { region, operation: 'exists' };
    if (hasAwsCode(error, 'BucketAlreadyExists')) throw takenError(bucket, error);
    throw wrapAwsError(error, `CreateBucket ${bucket}`);
  }
  // HeadBucket was refused yet us-east-1 accepted the create: the bucket was ours all along.
  if (probe.state === 'foreign') return { region, operation: 'exists' };
  context.created({ type: 's3:bucket', id: bucket, region });
  context.progress(`bucket ${bucket} created in ${region}`);
  await callAws(`waiting for bucket ${bucket}`, () =>
    waitUntilBucketExists({ client: s3, maxWaitTime: 60, abortSignal: context.signal }, { Bucket: bucket }),
  );
  await secureNewBucket(context, bucket, region, blockPublicAccess);
  return { region, operation: 'created' };
}

/** Deletes every object version and delete marker, page by page, so the bucket can be deleted. */
export async function emptyBucket(context: ToolContext, bucket: string, region: string): Promise<number> {
  const { DeleteObjectsCommand, ListObjectVersionsCommand } = await s3Sdk();
  const s3 = context.aws.s3(region);
  const options = { abortSignal: context.signal };
  let deleted = 0;
  let keyMarker: string | undefined;
  let versionMarker: string | undefined;
  do {
    const page = await callS3(`ListObjectVersions ${bucket}`, () =>
      s3.send(
        new ListObjectVersionsCommand({
          Bucket: bucket,
          KeyMarker: keyMarker,
          VersionIdMarker: versionMarker,
        }),
        options,
      ),
    );
    const objects: ObjectIdentifier[] = [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])].map(
      (entry) => ({ Key: entry.Key, VersionId: entry.VersionId }),
    );
    for (let start = 0; start < objects.length; start += 1000) {
      const batch = objects.slice(start, start + 1000);
      const result = await callS3(`DeleteObjects ${bucket}`, () =>
        s3.send(
          new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: batch, Quiet: true } }),
          options,
        ),
      );
      const failure = result.Errors?.[0];
      if (failure)
        throw new CopilotError(
          'aws_error',
          `DeleteObjects ${bucket} failed for ${failure.Key}: ${failure.Message}`,
          {
            awsCode: failure.Code,
          },
        );
      deleted += batch.length;
    }
    keyMarker = page.IsTruncated ? page.NextKeyMarker : undefined;
    versionMarker = page.IsTruncated ? page.NextVersionIdMarker : undefined;
  } while (keyMarker !== undefined);
  return deleted;
}

/** Empties and deletes a bucket; a bucket that is already gone counts as done. */
export async function deleteBucket(context: ToolContext, bucket: string, region: string): Promise<string> {
  const { DeleteBucketCommand } = await s3Sdk();
  try {
    const deleted = await emptyBucket(context, bucket, region);
    await context.aws
      .s3(region)
      .send(new DeleteBucketCommand({ Bucket: bucket }), { abortSignal: context.signal });
    return `deleted bucket ${bucket} (${deleted} object versions removed first)`;
  } catch (error) {
    if (hasAwsCode(error, 'NoSuchBucket')) return `bucket ${bucket} was already deleted`;
    throw wrapAwsError(error, `DeleteBucket ${bucket}`);
  }
}
