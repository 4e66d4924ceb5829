/**
 * Reads the tags an existing AWS resource carries, read-only, for the policy's tag rules. A
 * resource that does not exist (yet) has no tags; any other failure is left to the caller, which
 * reports the tags as unknown.
 */
import type { Tag as EcsTag } from '@aws-sdk/client-ecs';
import type { Tag } from '../../guardrails/policy-rules.js';
import type { ResourceTarget } from '../define-tool.js';
import { callAws, hasAwsCode } from './aws-error.js';
import type { AwsClientFactory } from './clients.js';
import { ec2Sdk, ecsSdk, lambdaSdk, s3Sdk } from './sdk.js';

/** One page: a resource with more tags than this is unusual, and AWS allows 50 per resource. */
const EC2_TAG_PAGE = 100;

/** AWS's answers for a resource that is not there: nothing is tagged on it. */
const ABSENT = [
  'ResourceNotFoundException',
  'ClusterNotFoundException',
  'ServiceNotFoundException',
  'NoSuchBucket',
  'NoSuchTagSet',
  'NoSuchTagSetError',
];

/** How a target is named in a decision's reason and the audit trail. */
export function targetLabel(target: ResourceTarget): string {
  switch (target.kind) {
    case 'ec2':
      return target.id;
    case 'ecs-cluster':
      return `cluster ${target.cluster}`;
    case 'ecs-service':
      return `service ${target.cluster}/${target.service}`;
    case 'ecs-task':
      return `task ${target.task}`;
    case 'lambda-function':
      return `function ${target.name}`;
    case 's3-bucket':
      return `bucket ${target.bucket}`;
  }
}

const ecsTags = (tags: EcsTag[] | undefined): Tag[] =>
  (tags ?? []).flatMap((tag) => (tag.key ? [[tag.key, tag.value ?? ''] as const] : []));

async function read(aws: AwsClientFactory, target: ResourceTarget, signal: AbortSignal): Promise<Tag[]> {
  const options = { abortSignal: signal };
  switch (target.kind) {
    case 'ec2': {
      const { DescribeTagsCommand } = await ec2Sdk();
      const answer = await aws.ec2(target.region).send(
        new DescribeTagsCommand({
          Filters: [{ Name: 'resource-id', Values: [target.id] }],
          MaxResults: EC2_TAG_PAGE,
        }),
        options,
      );
      return (answer.Tags ?? []).flatMap((tag) => (tag.Key ? [[tag.Key, tag.Value ?? ''] as const] : []));
    }
    case 'ecs-cluster': {
      const { DescribeClustersCommand } = await ecsSdk();
      const answer = await aws
        .ecs(target.region)
        .send(new DescribeClustersCommand({ clusters: [target.cluster], include: ['TAGS'] }), options);
      return ecsTags(answer.clusters?.[0]?.tags);
    }
    case 'ecs-service': {
      const { DescribeServicesCommand } = await ecsSdk();
      const answer = await aws.ecs(target.region).send(
        new DescribeServicesCommand({
          cluster: target.cluster,
          services: [target.service],
          include: ['TAGS'],
        }),
        options,
      );
      return ecsTags(answer.services?.[0]?.tags);
    }
    case 'ecs-task': {
      const { DescribeTasksCommand } = await ecsSdk();
      const answer = await aws
        .ecs(target.region)
        .send(
          new DescribeTasksCommand({ cluster: target.cluster, tasks: [target.task], include: ['TAGS'] }),
          options,
        );
      return ecsTags(answer.tasks?.[0]?.tags);
    }
    case 'lambda-function': {
      const { GetFunctionCommand } = await lambdaSdk();
      const answer = await aws
        .lambda(target.region)
        .send(new GetFunctionCommand({ FunctionName: target.name }), options);
      return Object.entries(answer.Tags ?? {});
    }
    case 's3-bucket': {
      const { GetBucketTaggingCommand } = await s3Sdk();
      const answer = await aws
        .s3(target.region)
        .send(new GetBucketTaggingCommand({ Bucket: target.bucket }), options);
      return (answer.TagSet ?? []).flatMap((tag) => (tag.Key ? [[tag.Key, tag.Value ?? ''] as const] : []));
    }
  }
}

/** The resource's tags; `[]` when it does not exist. Other failures throw a CopilotError with AWS's code. */
export async function readResourceTags(
  aws: AwsClientFactory,
  target: ResourceTarget,
  signal: AbortSignal,
): Promise<Tag[]> {
  try {
    return await callAws(`reading the tags of ${targetLabel(target)}`, () => read(aws, target, signal));
  } catch (error) {
    if (hasAwsCode(error, ...ABSENT)) return [];
    throw error;
  }
}
