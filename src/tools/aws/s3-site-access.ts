/** Opens one bucket to the public as a website, recording each previous setting so rollback restores it. */
import type { WebsiteConfiguration } from '@aws-sdk/client-s3';
import type { ToolContext } from '../define-tool.js';
import { hasAwsCode } from './aws-error.js';
import { callS3, wrapS3Error } from './s3-buckets.js';
import { S3_RESOURCE } from './s3-undo.js';
import { s3Sdk } from './sdk.js';

/** Statement id of the public-read grant this tool adds; other statements of a policy are kept. */
export const PUBLIC_READ_SID = 'AwsCopilotPublicRead';

interface PolicyDocument {
  Version?: string;
  Statement?: Array<Record<string, unknown>>;
}

function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/** The bucket's policy with a public s3:GetObject statement added (replacing an older one of ours). */
export function publicReadPolicy(bucket: string, region: string, previous: string | undefined): string {
  const document: PolicyDocument = previous ? (JSON.parse(previous) as PolicyDocument) : {};
  const statements = (document.Statement ?? []).filter((statement) => statement.Sid !== PUBLIC_READ_SID);
  statements.push({
    Sid: PUBLIC_READ_SID,
    Effect: 'Allow',
    Principal: '*',
    Action: 's3:GetObject',
    Resource: `arn:${partitionOf(region)}:s3:::${bucket}/*`,
  });
  return JSON.stringify({ Version: document.Version ?? '2012-10-17', Statement: statements });
}

/** Reads a setting, treating S3's "there is none" error as undefined. */
async function current<T>(what: string, absentCode: string, read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (error) {
    if (hasAwsCode(error, absentCode)) return undefined;
    throw wrapS3Error(error, what);
  }
}

/**
 * Removes this bucket's public access block, grants public read through the bucket policy and
 * turns on website hosting. Each previous value is recorded before it is changed, so a failure
 * half-way still rolls back everything already touched.
 */
export async function openBucketAsWebsite(
  context: ToolContext,
  bucket: string,
  region: string,
  website: WebsiteConfiguration,
): Promise<void> {
  const {
    DeletePublicAccessBlockCommand,
    GetBucketPolicyCommand,
    GetBucketWebsiteCommand,
    GetPublicAccessBlockCommand,
    PutBucketPolicyCommand,
    PutBucketWebsiteCommand,
  } = await s3Sdk();
  const s3 = context.aws.s3(region);
  const options = { abortSignal: context.signal };
  const record = (type: string, previous: unknown) =>
    context.created({ type, id: bucket, region, detail: { bucket, previous: previous ?? null } });

  const block = await current(`GetPublicAccessBlock ${bucket}`, 'NoSuchPublicAccessBlockConfiguration', () =>
    s3.send(new GetPublicAccessBlockCommand({ Bucket: bucket }), options),
  );
  if (block?.PublicAccessBlockConfiguration) {
    record(S3_RESOURCE.publicAccessBlock, block.PublicAccessBlockConfiguration);
    await callS3(`DeletePublicAccessBlock ${bucket}`, () =>
      s3.send(new DeletePublicAccessBlockCommand({ Bucket: bucket }), options),
    );
  }

  const policy = await current(`GetBucketPolicy ${bucket}`, 'NoSuchBucketPolicy', () =>
    s3.send(new GetBucketPolicyCommand({ Bucket: bucket }), options),
  );
  record(S3_RESOURCE.policy, policy?.Policy);
  await callS3(`PutBucketPolicy ${bucket}`, () =>
    s3.send(
      new PutBucketPolicyCommand({
        Bucket: bucket,
        Policy: publicReadPolicy(bucket, region, policy?.Policy),
      }),
      options,
    ),
  );

  const previousWebsite = await current(`GetBucketWebsite ${bucket}`, 'NoSuchWebsiteConfiguration', () =>
    s3.send(new GetBucketWebsiteCommand({ Bucket: bucket }), options),
  );
  const { $metadata: _metadata, ...previousConfiguration } = previousWebsite ?? { $metadata: {} };
  record(S3_RESOURCE.website, previousWebsite ? previousConfiguration : null);
  await callS3(`PutBucketWebsite ${bucket}`, () =>
    s3.send(new PutBucketWebsiteCommand({ Bucket: bucket, WebsiteConfiguration: website }), options),
  );
}
