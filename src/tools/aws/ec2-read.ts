/** Read-only EC2 tools: list instances, find AMIs. */
import type { Filter, Image } from '@aws-sdk/client-ec2';
import { z } from 'zod';
import { defineTool, readOnlyPreview } from '../define-tool.js';
import { callAws } from './aws-error.js';
import { ec2IdSchema, findInstances } from './ec2-shared.js';
import { regionOf, regionSchema } from './regions.js';
import { ec2Sdk } from './sdk.js';

const INSTANCE_STATES = ['pending', 'running', 'shutting-down', 'terminated', 'stopping', 'stopped'] as const;

export const listEc2Instances = defineTool({
  name: 'list_ec2_instances',
  description:
    'List EC2 instances in a region, optionally only those in given states or carrying given tags, with their type, state, AMI, IPs and tags.',
  input: z.strictObject({
    region: regionSchema.optional(),
    states: z
      .array(z.enum(INSTANCE_STATES))
      .min(1)
      .optional()
      .describe(`Only instances in these states: ${INSTANCE_STATES.join(', ')}`),
    tag_filters: z
      .record(z.string().min(1).max(128), z.string().max(256))
      .refine((tags) => Object.keys(tags).length <= 20, { error: 'at most 20 tag filters' })
      .optional()
      .describe('Only instances whose tags have exactly these values, e.g. {"env": "prod"}'),
    max_results: z
      .int()
      .min(1)
      .max(1000, { error: 'max_results is 1 to 1000' })
      .default(200)
      .describe('Most instances to return (default 200)'),
  }),
  risk: 'read',
  idempotent: true,
  iam: ['ec2:DescribeInstances'],
  preview: async (args, context) =>
    readOnlyPreview(`list up to ${args.max_results} EC2 instances in ${regionOf(args, context)}`),
  run: async (args, context) => {
    const filters: Filter[] = [];
    if (args.states) filters.push({ Name: 'instance-state-name', Values: args.states });
    for (const [key, value] of Object.entries(args.tag_filters ?? {}))
      filters.push({ Name: `tag:${key}`, Values: [value] });
    const region = regionOf(args, context);
    const { instances, truncated } = await findInstances(context, region, filters, args.max_results);
    return { region, instances, count: instances.length, truncated };
  },
});

const ARCHITECTURES = ['i386', 'x86_64', 'arm64', 'x86_64_mac', 'arm64_mac'] as const;

/** Images fetched at most before sorting; AWS has no server-side order, so newest-first needs them all. */
const SCAN_LIMIT = 5000;

function summarizeImage(image: Image) {
  return {
    image_id: image.ImageId ?? '',
    name: image.Name ?? '',
    ...(image.Description ? { description: image.Description } : {}),
    architecture: image.Architecture ?? '',
    owner_id: image.OwnerId ?? '',
    ...(image.ImageOwnerAlias ? { owner_alias: image.ImageOwnerAlias } : {}),
    creation_date: image.CreationDate ?? '',
    state: image.State ?? '',
    ...(image.PlatformDetails ? { platform: image.PlatformDetails } : {}),
    root_device_type: image.RootDeviceType ?? '',
    virtualization_type: image.VirtualizationType ?? '',
  };
}

export const describeImages = defineTool({
  name: 'describe_images',
  description:
    'Find AMIs by id, owner, name pattern or architecture, newest first. Without image_ids or owners it searches your own and Amazon-owned images.',
  input: z.strictObject({
    region: regionSchema.optional(),
    image_ids: z
      .array(ec2IdSchema('ami', 'an AMI id', 'ami-0abcdef1234567890'))
      .min(1)
      .max(100, { error: 'at most 100 image ids' })
      .optional()
      .describe('Exact AMI ids to describe'),
    owners: z
      .array(
        z.string().regex(/^(?:self|amazon|aws-marketplace|aws-backup-vault|\d{12})$/, {
          error: 'owners are self, amazon, aws-marketplace, aws-backup-vault or a 12-digit account id',
        }),
      )
      .min(1)
      .max(20)
      .optional()
      .describe('Image owners: self, amazon, aws-marketplace or account ids (default: self and amazon)'),
    name_pattern: z
      .string()
      .min(1)
      .max(128, { error: 'name_pattern is at most 128 characters' })
      .optional()
      .describe('AMI name with * and ? wildcards, e.g. al2023-ami-*-x86_64'),
    architecture: z
      .enum(ARCHITECTURES)
      .optional()
      .describe(`CPU architecture: ${ARCHITECTURES.join(', ')}`),
    max_results: z
      .int()
      .min(1)
      .max(1000, { error: 'max_results is 1 to 1000' })
      .default(50)
      .describe('Most images to return (default 50)'),
  }),
  risk: 'read',
  idempotent: true,
  iam: ['ec2:DescribeImages'],
  preview: async (args, context) => readOnlyPreview(`find AMIs in ${regionOf(args, context)}`),
  run: async (args, context) => {
    const region = regionOf(args, context);
    const filters: Filter[] = [];
    if (args.name_pattern) filters.push({ Name: 'name', Values: [args.name_pattern] });
    if (args.architecture) filters.push({ Name: 'architecture', Values: [args.architecture] });
    // With no owner, AWS lists every public image: hundreds of thousands of them.
    const owners = args.owners ?? (args.image_ids ? undefined : ['self', 'amazon']);
    const { DescribeImagesCommand } = await ec2Sdk();
    const client = context.aws.ec2(region);
    const images: Image[] = [];
    let nextToken: string | undefined;
    do {
      const page = await callAws('DescribeImages', () =>
        client.send(
          new DescribeImagesCommand({
            ...(args.image_ids ? { ImageIds: args.image_ids } : { MaxResults: 1000, NextToken: nextToken }),
            ...(owners ? { Owners: owners } : {}),
            ...(filters.length ? { Filters: filters } : {}),
          }),
          { abortSignal: context.signal },
        ),
      );
      images.push(...(page.Images ?? []));
      nextToken = args.image_ids ? undefined : page.NextToken;
    } while (nextToken && images.length < SCAN_LIMIT);
    // ISO 8601 timestamps sort as text; ties broken by id so the order is stable.
    images.sort(
      (a, b) =>
        (b.CreationDate ?? '').localeCompare(a.CreationDate ?? '') ||
        (a.ImageId ?? '').localeCompare(b.ImageId ?? ''),
    );
    const shown = images.slice(0, args.max_results).map(summarizeImage);
    return {
      region,
      images: shown,
      count: shown.length,
      truncated: images.length > shown.length || nextToken !== undefined,
    };
  },
});
