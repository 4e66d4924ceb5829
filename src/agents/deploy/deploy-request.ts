/** What a deployment needs to know, which fields each target requires, and how to ask for the rest. */
import { basename } from 'node:path';
import { z } from 'zod';
import type { SealedValue } from '../../guardrails/sealed-values.js';
import type { FormField } from '../../protocol/events.js';
import { regionSchema } from '../../tools/aws/regions.js';

export const DEPLOY_TARGETS = ['s3-static', 'lambda', 'ec2', 'ecs-fargate'] as const;
export type DeployTarget = (typeof DEPLOY_TARGETS)[number];

const appName = z
  .string()
  .regex(
    /^[a-z][a-z0-9-]{1,40}$/,
    'lowercase letters, digits and hyphens, starting with a letter (2-41 characters)',
  );

export const deployRequestFields = {
  repo: z.string().min(1).describe('Git repository URL (https://...) or local path of the project to deploy'),
  branch: z.string().min(1).max(255).describe('Branch to deploy (default: the repository default)'),
  region: regionSchema.describe('AWS region to deploy to, e.g. us-east-1'),
  target: z
    .enum(DEPLOY_TARGETS)
    .describe(
      'Where it runs: s3-static (static site), lambda (function), ec2 (instance) or ecs-fargate (container service)',
    ),
  app_name: appName.describe('Short name for the app, used to name AWS resources'),
  environment: z
    .record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), z.string().max(4096))
    .describe('Environment variables the app needs, NAME=value'),
  staging_bucket: z
    .string()
    .regex(
      /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
      'an S3 bucket name: 3-63 lowercase letters, digits, dots, hyphens',
    )
    .describe('S3 bucket that stages the build artifact (EC2, large Lambda packages)'),
  role_arn: z
    .string()
    .regex(
      /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/,
      'an IAM role ARN, arn:aws:iam::<account>:role/<name>',
    )
    .describe('IAM execution role ARN for the Lambda function'),
  ami_id: z
    .string()
    .regex(/^ami-[0-9a-f]{8}([0-9a-f]{9})?$/, 'an AMI id such as ami-0abcdef1234567890')
    .describe('AMI id for the EC2 instance'),
  instance_type: z
    .string()
    .regex(/^[a-z][a-z0-9-]*\d[a-z0-9-]*\.[a-z0-9]+$/, 'an instance type such as t3.micro')
    .describe('EC2 instance type'),
  key_name: z.string().min(1).max(255).describe('EC2 key pair name for SSH (optional)'),
  image: z
    .string()
    .min(3)
    .max(512)
    .describe(
      'Container image URI for ECS Fargate, e.g. 123456789012.dkr.ecr.us-east-1.amazonaws.com/shop:1',
    ),
  subnets: z
    .array(z.string().regex(/^subnet-[0-9a-f]{8,17}$/, 'a subnet id such as subnet-0abc1234'))
    .min(1)
    .describe('Subnet ids the ECS tasks run in'),
  security_groups: z
    .array(z.string().regex(/^sg-[0-9a-f]{8,17}$/, 'a security group id such as sg-0abc1234'))
    .min(1)
    .describe('Security group ids of the ECS tasks'),
} as const;

export const deployRequestSchema = z.object(deployRequestFields).partial();
export type DeployRequest = Omit<z.infer<typeof deployRequestSchema>, 'environment'> & {
  /** Once intake has run, every value is sealed in the vault: state and plans hold only references. */
  environment?: Record<string, string | SealedValue>;
};

const REQUIRED: Record<DeployTarget, Array<keyof typeof deployRequestFields>> = {
  's3-static': [],
  lambda: ['role_arn'],
  ec2: ['ami_id', 'staging_bucket'],
  'ecs-fargate': ['image', 'subnets', 'security_groups'],
};

/** Fields still needed before a plan can be drafted, in the order a person would answer them. */
export function missingFields(request: DeployRequest): Array<keyof typeof deployRequestFields> {
  const missing: Array<keyof typeof deployRequestFields> = [];
  for (const field of ['repo', 'target', 'region'] as const) if (!request[field]) missing.push(field);
  if (request.target) for (const field of REQUIRED[request.target]) if (!request[field]) missing.push(field);
  return missing;
}

/** Keeps every field of `candidate` that is valid on its own; an invalid one is reported, not stored. */
export function acceptValidFields(candidate: Record<string, unknown>): {
  accepted: DeployRequest;
  rejected: Record<string, string>;
} {
  const accepted: Record<string, unknown> = {};
  const rejected: Record<string, string> = {};
  for (const [name, schema] of Object.entries(deployRequestFields)) {
    const value = candidate[name];
    if (value === undefined || value === null || value === '') continue;
    const parsed = (schema as z.ZodType).safeParse(value);
    if (parsed.success) accepted[name] = parsed.data;
    else rejected[name] = parsed.error.issues[0]?.message ?? 'invalid';
  }
  return { accepted: accepted as DeployRequest, rejected };
}

export function defaultAppName(repo: string): string {
  const base = basename(repo.replace(/\.git$/, '').replace(/\/+$/, ''))
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-');
  const cleaned = base.replace(/^[^a-z]+/, '').slice(0, 41) || 'app';
  return cleaned.length >= 2 ? cleaned : `${cleaned}-app`;
}

export function formFieldsFor(
  names: Array<keyof typeof deployRequestFields>,
  request: DeployRequest,
): FormField[] {
  return names.map((name) => {
    const schema = deployRequestFields[name] as z.ZodType;
    const field: FormField = {
      name,
      label: name.replace(/_/g, ' '),
      description: schema.description ?? name,
      kind: name === 'target' ? 'select' : name === 'environment' ? 'key-value' : 'text',
      required: true,
      ...(name === 'target' ? { options: [...DEPLOY_TARGETS] } : {}),
    };
    const current = request[name];
    if (current !== undefined) field.value = current;
    return field;
  });
}
