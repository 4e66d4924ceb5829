/** launch_ec2's input schema and its idempotency token, derived from the normalized arguments. */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { ec2IdSchema } from './ec2-shared.js';
import { regionSchema } from './regions.js';

/** The tag that lets a repeated launch find its instance on endpoints that ignore ClientToken. */
export const CLIENT_TOKEN_TAG = 'aws-copilot:client-token';

/** AWS allows 50 tags per instance; one is the client-token tag. */
const MAX_USER_TAGS = 49;

const USER_DATA_MAX_BYTES = 16 * 1024;

const INSTANCE_TYPE_PATTERN =
  /^[a-z]+-?[0-9][a-z0-9-]*\.(?:nano|micro|small|medium|large|[0-9]{0,3}xlarge|metal(?:-[0-9]{1,3}xl)?)$/;

const tagKeySchema = z
  .string()
  .min(1, { error: 'tag keys must not be empty' })
  .max(128, { error: 'tag keys are at most 128 characters' })
  .refine((key) => !key.toLowerCase().startsWith('aws:'), {
    error: "tag keys starting with 'aws:' are reserved by AWS",
  })
  .refine((key) => key !== CLIENT_TOKEN_TAG, {
    error: `the tag '${CLIENT_TOKEN_TAG}' is set by launch_ec2 itself; pass client_token instead`,
  });

export const launchInput = z.strictObject({
  region: regionSchema.optional(),
  instance_type: z
    .string()
    .regex(INSTANCE_TYPE_PATTERN, {
      error:
        'instance_type must be a family and a size such as t3.micro, m7g.large or c6i.2xlarge (size: nano, micro, small, medium, large, Nxlarge or metal)',
    })
    .describe('EC2 instance type, e.g. t3.micro or m7g.large'),
  ami_id: ec2IdSchema('ami', 'ami_id', 'ami-0abcdef1234567890').describe(
    'AMI to launch, e.g. ami-0abcdef1234567890 (find one with describe_images)',
  ),
  key_name: z
    .string()
    .min(1)
    .max(255, { error: 'key_name is at most 255 characters' })
    .optional()
    .describe('Name of an existing EC2 key pair for SSH'),
  subnet_id: ec2IdSchema('subnet', 'subnet_id', 'subnet-0abc1234def567890')
    .optional()
    .describe('Subnet to launch in; the default VPC when absent'),
  security_group_ids: z
    .array(ec2IdSchema('sg', 'a security group id', 'sg-0abc1234def567890'))
    .min(1)
    .max(16, { error: 'at most 16 security groups' })
    .optional()
    .describe('Security group ids, e.g. ["sg-0abc1234def567890"]'),
  user_data: z
    .string()
    .refine((text) => Buffer.byteLength(text, 'utf8') <= USER_DATA_MAX_BYTES, {
      error: `user_data is at most ${USER_DATA_MAX_BYTES} bytes (16 KB) before encoding`,
    })
    .optional()
    .describe('Startup script as plain text (at most 16 KB); the tool base64-encodes it'),
  tags: z
    .record(tagKeySchema, z.string().max(256, { error: 'tag values are at most 256 characters' }))
    .refine((tags) => Object.keys(tags).length <= MAX_USER_TAGS, {
      error: `at most ${MAX_USER_TAGS} tags (AWS allows 50 and launch_ec2 adds ${CLIENT_TOKEN_TAG})`,
    })
    .optional()
    .describe('Instance tags, e.g. {"Name": "web-1"}'),
  client_token: z
    .string()
    .regex(/^[\x21-\x7e]{1,64}$/, { error: 'client_token is 1 to 64 printable ASCII characters' })
    .optional()
    .describe('Idempotency token; derived from the other arguments when absent'),
  iam_instance_profile: z
    .string()
    .regex(/^(?:[\w+=,.@-]{1,128}|arn:aws[a-z-]*:iam::\d{12}:instance-profile\/[\w+=,.@/-]{1,128})$/, {
      error:
        'iam_instance_profile is an instance profile name or its ARN (arn:aws:iam::123456789012:instance-profile/name)',
    })
    .optional()
    .describe('Instance profile name or ARN giving the instance its IAM role'),
});

export type LaunchArgs = z.infer<typeof launchInput>;

/**
 * A deterministic EC2 ClientToken: the same launch asked twice maps to the same token, so EC2
 * returns the first instance instead of starting a second one.
 */
export function deriveClientToken(args: LaunchArgs, region: string): string {
  const normalized = [
    region,
    args.instance_type,
    args.ami_id,
    args.key_name ?? null,
    args.subnet_id ?? null,
    [...(args.security_group_ids ?? [])].sort(),
    args.user_data ?? null,
    Object.entries(args.tags ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
    args.iam_instance_profile ?? null,
  ];
  const digest = createHash('sha256').update(JSON.stringify(normalized)).digest('hex');
  return `aws-copilot-${digest.slice(0, 40)}`;
}
