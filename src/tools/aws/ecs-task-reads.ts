/** Read-only ECS task tools: describe tasks (why they stopped) and list a cluster's tasks. */
import type { ECSClient, Task } from '@aws-sdk/client-ecs';
import { z } from 'zod';
import { defineTool, readOnlyPreview } from '../define-tool.js';
import { callAws } from './aws-error.js';
import {
  clusterSchema,
  collectPages,
  failureList,
  familySchema,
  isoDate,
  LIST_CAP,
  serviceNameSchema,
  taskSchema,
} from './ecs-common.js';
import { regionSchema } from './regions.js';
import { ecsSdk } from './sdk.js';

function taskSummary(task: Task) {
  return {
    task_arn: task.taskArn ?? '',
    task_definition_arn: task.taskDefinitionArn ?? '',
    last_status: task.lastStatus ?? '',
    desired_status: task.desiredStatus ?? '',
    stopped_reason: task.stoppedReason || undefined,
    stop_code: task.stopCode,
    health_status: task.healthStatus,
    launch_type: task.launchType || undefined,
    group: task.group,
    started_by: task.startedBy || undefined,
    created_at: isoDate(task.createdAt),
    started_at: isoDate(task.startedAt),
    stopping_at: isoDate(task.stoppingAt),
    stopped_at: isoDate(task.stoppedAt),
    containers: (task.containers ?? []).map((container) => ({
      name: container.name ?? '',
      image: container.image,
      last_status: container.lastStatus,
      exit_code: container.exitCode,
      reason: container.reason,
      health_status: container.healthStatus,
    })),
  };
}

export async function describeTaskList(
  client: ECSClient,
  cluster: string,
  tasks: string[],
  signal: AbortSignal,
) {
  const { DescribeTasksCommand } = await ecsSdk();
  return callAws('DescribeTasks', () =>
    client.send(new DescribeTasksCommand({ cluster, tasks }), { abortSignal: signal }),
  );
}

export const describeTasks = defineTool({
  name: 'describe_tasks',
  description:
    'Describe ECS tasks: status, why they stopped (stoppedReason, stopCode, container exit codes), task definition, times.',
  input: z.strictObject({
    cluster: clusterSchema,
    tasks: z.array(taskSchema).min(1).max(100).describe('Task ids or ARNs (1-100)'),
    region: regionSchema.optional(),
  }),
  risk: 'read',
  iam: ['ecs:DescribeTasks'],
  idempotent: true,
  preview: async (args) => readOnlyPreview(`describe ${args.tasks.length} task(s) in ${args.cluster}`),
  run: async (args, context) => {
    const described = await describeTaskList(
      context.aws.ecs(args.region),
      args.cluster,
      args.tasks,
      context.signal,
    );
    return {
      tasks: (described.tasks ?? []).map(taskSummary),
      failures: failureList(described.failures),
    };
  },
});

export const listTasks = defineTool({
  name: 'list_tasks',
  description:
    'List the ARNs of ECS tasks in a cluster, optionally of one service or family and one desired status.',
  input: z.strictObject({
    cluster: clusterSchema,
    service_name: serviceNameSchema.optional().describe('Only tasks of this service'),
    desired_status: z
      .enum(['RUNNING', 'STOPPED', 'PENDING'])
      .optional()
      .describe('Only tasks with this desired status (ECS default: RUNNING)'),
    family: familySchema.optional().describe('Only tasks of this task definition family'),
    region: regionSchema.optional(),
  }),
  risk: 'read',
  iam: ['ecs:ListTasks'],
  idempotent: true,
  preview: async (args) => readOnlyPreview(`list tasks of cluster ${args.cluster}`),
  run: async (args, context) => {
    const { ListTasksCommand } = await ecsSdk();
    const client = context.aws.ecs(args.region);
    const { items, truncated } = await collectPages(async (nextToken) => {
      const page = await callAws('ListTasks', () =>
        client.send(
          new ListTasksCommand({
            cluster: args.cluster,
            nextToken,
            maxResults: 100,
            ...(args.service_name ? { serviceName: args.service_name } : {}),
            ...(args.desired_status ? { desiredStatus: args.desired_status } : {}),
            ...(args.family ? { family: args.family } : {}),
          }),
          { abortSignal: context.signal },
        ),
      );
      return { items: page.taskArns ?? [], nextToken: page.nextToken };
    }, LIST_CAP);
    return { task_arns: items, count: items.length, truncated };
  },
});
