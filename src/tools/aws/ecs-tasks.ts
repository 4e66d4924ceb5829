/** ECS task changes: run one-off tasks and stop a task. */
import { z } from 'zod';
import { CopilotError } from '../../errors/copilot-error.js';
import { defineTool } from '../define-tool.js';
import { callAws } from './aws-error.js';
import {
  clusterSchema,
  fargateNeedsSubnets,
  findTaskDefinition,
  lastSegment,
  launchNetworkShape,
  networkConfiguration,
  shortTaskDefinition,
  taskDefinitionSchema,
  taskDefinitionWarnings,
  taskSchema,
} from './ecs-common.js';
import { describeTaskList } from './ecs-task-reads.js';
import { regionOf, regionSchema } from './regions.js';
import { ecsSdk } from './sdk.js';

const STARTED_BY = 'aws-copilot';

export const runTask = defineTool({
  name: 'run_task',
  description:
    'Start 1-10 standalone copies of an ECS task definition (a one-off job or a manual replacement).',
  input: z
    .strictObject({
      cluster: clusterSchema,
      task_definition: taskDefinitionSchema,
      count: z.number().int().min(1).max(10).default(1).describe('How many tasks to start (1-10)'),
      ...launchNetworkShape,
      region: regionSchema.optional(),
    })
    .refine(fargateNeedsSubnets.check, { error: fargateNeedsSubnets.error, path: fargateNeedsSubnets.path }),
  risk: 'write',
  iam: ['ecs:RunTask', 'ecs:DescribeTaskDefinition', 'ecs:StopTask', 'iam:PassRole'],
  preview: async (args, context) => {
    const definition = await findTaskDefinition(
      context.aws.ecs(args.region),
      args.task_definition,
      context.signal,
    );
    const warnings = taskDefinitionWarnings(args.task_definition, definition, args.subnets);
    const name = shortTaskDefinition(definition?.taskDefinitionArn ?? args.task_definition);
    return {
      summary: `run ${args.count} x ${name} on ${args.launch_type} in cluster ${args.cluster}`,
      method: 'describe-diff',
      changes: [{ kind: 'create', resource: `ecs:task/${args.cluster}`, detail: `${args.count} x ${name}` }],
      warnings,
    };
  },
  run: async (args, context) => {
    const region = regionOf(args, context);
    const network = networkConfiguration(args);
    const { RunTaskCommand } = await ecsSdk();
    const started = await callAws('RunTask', () =>
      context.aws.ecs(region).send(
        new RunTaskCommand({
          cluster: args.cluster,
          taskDefinition: args.task_definition,
          count: args.count,
          launchType: args.launch_type,
          startedBy: STARTED_BY,
          ...(network ? { networkConfiguration: network } : {}),
        }),
        { abortSignal: context.signal },
      ),
    );
    const tasks = started.tasks ?? [];
    for (const task of tasks) {
      if (!task.taskArn) continue;
      context.created({
        type: 'ecs:task',
        id: task.taskArn,
        region,
        detail: { cluster: args.cluster },
      });
    }
    const failures = (started.failures ?? []).map((failure) => ({
      arn: failure.arn ?? '',
      reason: failure.reason ?? '',
      detail: failure.detail,
    }));
    if (tasks.length === 0) {
      const reasons = failures.map((failure) => failure.reason).join('; ') || 'no reason given';
      throw new CopilotError('aws_error', `RunTask started no task: ${reasons}`);
    }
    return {
      cluster: args.cluster,
      region,
      tasks: tasks.map((task) => ({
        task_arn: task.taskArn ?? '',
        last_status: task.lastStatus ?? '',
        desired_status: task.desiredStatus ?? '',
      })),
      failures,
    };
  },
  compensate: async ({ args, created }, context) => {
    const tasks = created.filter((resource) => resource.type === 'ecs:task' && resource.id);
    if (tasks.length === 0) return 'no task was started: nothing to undo';
    const { StopTaskCommand } = await ecsSdk();
    for (const task of tasks) {
      await callAws('StopTask', () =>
        context.aws.ecs(task.region ?? args.region).send(
          new StopTaskCommand({
            cluster: args.cluster,
            task: task.id,
            reason: 'rolled back by aws-copilot',
          }),
          { abortSignal: context.signal },
        ),
      );
    }
    return `stopped ${tasks.length} task(s): ${tasks.map((task) => lastSegment(task.id)).join(', ')}`;
  },
  resourceIds: (_args, result) => result?.tasks.map((task) => task.task_arn) ?? [],
  targets: (args) => [{ kind: 'ecs-cluster', cluster: args.cluster, region: args.region }],
});

export const stopTask = defineTool({
  name: 'stop_task',
  description:
    'Stop a running ECS task. A stopped task cannot be restarted; if it belongs to a service, the service starts a replacement.',
  input: z.strictObject({
    cluster: clusterSchema,
    task: taskSchema,
    reason: z
      .string()
      .min(1)
      .max(255)
      .optional()
      .describe('Why the task is stopped; shown in the task details'),
    region: regionSchema.optional(),
  }),
  risk: 'write',
  irreversible: true,
  iam: ['ecs:StopTask', 'ecs:DescribeTasks'],
  preview: async (args, context) => {
    const described = await describeTaskList(
      context.aws.ecs(args.region),
      args.cluster,
      [args.task],
      context.signal,
    );
    const task = described.tasks?.[0];
    if (!task) {
      return {
        summary: `stop task ${args.task}`,
        method: 'describe-diff',
        changes: [],
        warnings: [`task ${args.task} was not found in cluster ${args.cluster}`],
      };
    }
    const replaced = task.group?.startsWith('service:')
      ? `; service ${task.group.slice('service:'.length)} will start a replacement`
      : '; nothing replaces it';
    const stopped = task.desiredStatus === 'STOPPED';
    return {
      summary: stopped
        ? `task ${lastSegment(task.taskArn)} is already stopping or stopped`
        : `stop task ${lastSegment(task.taskArn)}${replaced}`,
      method: 'describe-diff',
      changes: [
        stopped
          ? { kind: 'no-op', resource: task.taskArn ?? args.task }
          : {
              kind: 'delete',
              resource: task.taskArn ?? args.task,
              detail: `lastStatus ${task.lastStatus} -> STOPPED`,
            },
      ],
      warnings: stopped ? [] : ['a stopped task cannot be restarted'],
    };
  },
  run: async (args, context) => {
    const { StopTaskCommand } = await ecsSdk();
    const stopped = await callAws('StopTask', () =>
      context.aws.ecs(args.region).send(
        new StopTaskCommand({
          cluster: args.cluster,
          task: args.task,
          ...(args.reason ? { reason: args.reason } : {}),
        }),
        { abortSignal: context.signal },
      ),
    );
    const task = stopped.task ?? {};
    return {
      task_arn: task.taskArn ?? '',
      last_status: task.lastStatus ?? '',
      desired_status: task.desiredStatus ?? '',
      stopped_reason: task.stoppedReason || undefined,
      group: task.group,
    };
  },
  resourceIds: (args, result) => [result?.task_arn || args.task],
  targets: (args) => [
    { kind: 'ecs-cluster', cluster: args.cluster, region: args.region },
    { kind: 'ecs-task', cluster: args.cluster, task: args.task, region: args.region },
  ],
});
