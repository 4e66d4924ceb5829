/** Shared pieces of the ECS tools: name and ARN schemas, network settings, lookups and pagination. */
import type {
  Cluster,
  ECSClient,
  Failure,
  NetworkConfiguration,
  Service,
  TaskDefinition,
} from '@aws-sdk/client-ecs';
import { z } from 'zod';
import { CopilotError } from '../../errors/copilot-error.js';
import { callAws, hasAwsCode } from './aws-error.js';
import { ecsSdk } from './sdk.js';

const NAME = /^[A-Za-z0-9_-]{1,255}$/;
const ARN_HEAD = 'arn:aws[a-z-]*:ecs:[a-z0-9-]+:\\d{12}:';
const CLUSTER_ARN = new RegExp(`^${ARN_HEAD}cluster/[A-Za-z0-9_-]{1,255}$`);
const SERVICE_ARN = new RegExp(`^${ARN_HEAD}service/(?:[A-Za-z0-9_-]{1,255}/)?[A-Za-z0-9_-]{1,255}$`);
const TASK_DEFINITION = /^[A-Za-z0-9_-]{1,255}(?::[1-9]\d{0,8})?$/;
const TASK_DEFINITION_ARN = new RegExp(`^${ARN_HEAD}task-definition/[A-Za-z0-9_-]{1,255}:[1-9]\\d{0,8}$`);
// Task ids are 32 hex digits on AWS; emulators often use UUIDs, which are accepted too.
const TASK_ID = /^(?:[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;
const TASK_ARN = new RegExp(`^${ARN_HEAD}task/(?:[A-Za-z0-9_-]{1,255}/)?(?:[0-9a-f]{32}|[0-9a-f-]{36})$`);

export const NAME_RULE = '1-255 letters, digits, hyphens and underscores';

export const clusterNameSchema = z
  .string()
  .regex(NAME, { error: `cluster name must be ${NAME_RULE}` })
  .describe(`Cluster name (${NAME_RULE})`);

export const clusterSchema = z
  .string()
  .refine((value) => NAME.test(value) || CLUSTER_ARN.test(value), {
    error: `cluster must be a name of ${NAME_RULE}, or a cluster ARN (arn:aws:ecs:<region>:<account>:cluster/<name>)`,
  })
  .describe('Cluster name or ARN');

export const serviceSchema = z
  .string()
  .refine((value) => NAME.test(value) || SERVICE_ARN.test(value), {
    error: `service must be a name of ${NAME_RULE}, or a service ARN (arn:aws:ecs:<region>:<account>:service/<cluster>/<name>)`,
  })
  .describe('Service name or ARN');

export const serviceNameSchema = z
  .string()
  .regex(NAME, { error: `service name must be ${NAME_RULE}` })
  .describe(`Service name (${NAME_RULE})`);

export const familySchema = z
  .string()
  .regex(NAME, { error: `task definition family must be ${NAME_RULE}` })
  .describe(`Task definition family (${NAME_RULE})`);

export const taskDefinitionSchema = z
  .string()
  .refine((value) => TASK_DEFINITION.test(value) || TASK_DEFINITION_ARN.test(value), {
    error:
      'task definition must be family, family:revision (e.g. web:3) or a task definition ARN (arn:aws:ecs:<region>:<account>:task-definition/<family>:<revision>)',
  })
  .describe('Task definition: family (latest ACTIVE revision), family:revision, or ARN');

export const taskSchema = z
  .string()
  .refine((value) => TASK_ID.test(value) || TASK_ARN.test(value), {
    error:
      'task must be a task id (32 hex digits) or a task ARN (arn:aws:ecs:<region>:<account>:task/<cluster>/<id>)',
  })
  .describe('Task id or ARN');

export const launchTypeSchema = z.enum(['FARGATE', 'EC2']);

export const subnetsSchema = z
  .array(z.string().regex(/^subnet-[0-9a-f]{8,17}$/, { error: 'subnet ids look like subnet-0123abcd' }))
  .min(1)
  .max(16)
  .describe('Subnet ids for awsvpc networking (1-16)');

export const securityGroupsSchema = z
  .array(z.string().regex(/^sg-[0-9a-f]{8,17}$/, { error: 'security group ids look like sg-0123abcd' }))
  .min(1)
  .max(5)
  .describe('Security group ids for awsvpc networking (1-5)');

/** Where the tasks of create_service and run_task run: launch type and awsvpc network. */
export const launchNetworkShape = {
  launch_type: launchTypeSchema.default('FARGATE').describe('FARGATE (default) or EC2'),
  subnets: subnetsSchema.optional(),
  security_groups: securityGroupsSchema.optional(),
  assign_public_ip: z.boolean().optional().describe('Give tasks a public IP (awsvpc only; default false)'),
};

export interface NetworkArgs {
  subnets?: string[] | undefined;
  security_groups?: string[] | undefined;
  assign_public_ip?: boolean | undefined;
}

/** The awsvpc network configuration, or undefined when no subnets were given. */
export function networkConfiguration(args: NetworkArgs): NetworkConfiguration | undefined {
  if (!args.subnets) return undefined;
  return {
    awsvpcConfiguration: {
      subnets: args.subnets,
      ...(args.security_groups ? { securityGroups: args.security_groups } : {}),
      assignPublicIp: args.assign_public_ip ? 'ENABLED' : 'DISABLED',
    },
  };
}

/** FARGATE needs awsvpc networking, hence subnets; a schema check with a message that says so. */
export const fargateNeedsSubnets = {
  check: (args: { launch_type: string; subnets?: string[] | undefined }) =>
    args.launch_type !== 'FARGATE' || (args.subnets?.length ?? 0) > 0,
  error: 'launch_type FARGATE uses awsvpc networking: give subnets (and usually security_groups)',
  path: ['subnets'],
};

/** Preview warnings about the task definition a service or task would run: missing, or awsvpc without subnets. */
export function taskDefinitionWarnings(
  reference: string,
  definition: TaskDefinition | undefined,
  subnets: string[] | undefined,
): string[] {
  if (!definition) return [`task definition ${reference} does not exist`];
  if (definition.networkMode === 'awsvpc' && !subnets)
    return [`task definition ${reference} uses awsvpc networking: subnets are required`];
  return [];
}

/** `web:4` from `arn:...:task-definition/web:4` (or the input itself when already short). */
export function shortTaskDefinition(reference: string | undefined): string {
  if (!reference) return '(none)';
  return reference.split('/').pop() ?? reference;
}

/** The last path segment of an ARN: a name or an id. */
export function lastSegment(arn: string | undefined): string {
  return arn?.split('/').pop() ?? '';
}

export function isoDate(date: Date | undefined): string | undefined {
  return date ? date.toISOString() : undefined;
}

/** The failures of a batch describe call (clusters, services, tasks), as results report them. */
export function failureList(failures: Failure[] | undefined): { arn: string; reason: string }[] {
  return (failures ?? []).map((failure) => ({ arn: failure.arn ?? '', reason: failure.reason ?? '' }));
}

/** Most ARNs the list tools return. */
export const LIST_CAP = 1000;

/** Follows nextToken until the end or until `cap` items, so a huge account cannot flood a reply. */
export async function collectPages<T>(
  fetchPage: (nextToken: string | undefined) => Promise<{ items: T[]; nextToken?: string | undefined }>,
  cap: number,
): Promise<{ items: T[]; truncated: boolean }> {
  const items: T[] = [];
  let token: string | undefined;
  do {
    const page = await fetchPage(token);
    items.push(...page.items);
    token = page.nextToken;
  } while (token && items.length < cap);
  return { items: items.slice(0, cap), truncated: Boolean(token) || items.length > cap };
}

/** The cluster when it exists and is not INACTIVE (deleted clusters linger as INACTIVE). */
export async function findCluster(
  client: ECSClient,
  cluster: string,
  signal: AbortSignal,
): Promise<Cluster | undefined> {
  const { DescribeClustersCommand } = await ecsSdk();
  const found = await callAws('DescribeClusters', () =>
    client.send(new DescribeClustersCommand({ clusters: [cluster] }), { abortSignal: signal }),
  );
  const match = found.clusters?.[0];
  return match && match.status !== 'INACTIVE' ? match : undefined;
}

/** The cluster, or a not_found error carrying AWS's own code for a missing cluster. */
export async function requireCluster(
  client: ECSClient,
  cluster: string,
  signal: AbortSignal,
): Promise<Cluster> {
  const found = await findCluster(client, cluster, signal);
  if (!found) {
    throw new CopilotError('not_found', `ECS cluster '${cluster}' does not exist; create it first`, {
      awsCode: 'ClusterNotFoundException',
    });
  }
  return found;
}

/** The service when it exists and is not INACTIVE; a missing cluster raises ClusterNotFoundException. */
export async function findService(
  client: ECSClient,
  cluster: string,
  service: string,
  signal: AbortSignal,
): Promise<Service | undefined> {
  const { DescribeServicesCommand } = await ecsSdk();
  const found = await callAws('DescribeServices', () =>
    client.send(new DescribeServicesCommand({ cluster, services: [service] }), { abortSignal: signal }),
  );
  const match = found.services?.[0];
  return match && match.status !== 'INACTIVE' ? match : undefined;
}

/** The task definition, or undefined when AWS says it does not exist. */
export async function findTaskDefinition(
  client: ECSClient,
  taskDefinition: string,
  signal: AbortSignal,
): Promise<TaskDefinition | undefined> {
  const { DescribeTaskDefinitionCommand } = await ecsSdk();
  try {
    const found = await callAws('DescribeTaskDefinition', () =>
      client.send(new DescribeTaskDefinitionCommand({ taskDefinition }), { abortSignal: signal }),
    );
    return found.taskDefinition;
  } catch (error) {
    // ECS answers ClientException for an unknown family or revision.
    if (hasAwsCode(error, 'ClientException')) return undefined;
    throw error;
  }
}
