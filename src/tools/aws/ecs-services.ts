/** ECS services: create one, and change its desired count or task definition with a recorded way back. */
import type { ECSClient, Service } from '@aws-sdk/client-ecs';
import { z } from 'zod';
import { CopilotError } from '../../errors/copilot-error.js';
import { defineTool, type PreviewChange } from '../define-tool.js';
import { callAws, hasAwsCode } from './aws-error.js';
import {
  clusterSchema,
  fargateNeedsSubnets,
  findCluster,
  findService,
  findTaskDefinition,
  launchNetworkShape,
  networkConfiguration,
  requireCluster,
  serviceNameSchema,
  serviceSchema,
  shortTaskDefinition,
  taskDefinitionSchema,
  taskDefinitionWarnings,
} from './ecs-common.js';
import { regionOf, regionSchema } from './regions.js';
import { ecsSdk } from './sdk.js';

const desiredCountSchema = z.number().int().min(0).max(1000);

function serviceResult(service: Service) {
  return {
    service_name: service.serviceName ?? '',
    service_arn: service.serviceArn ?? '',
    cluster_arn: service.clusterArn ?? '',
    status: service.status ?? '',
    desired_count: service.desiredCount ?? 0,
    task_definition: service.taskDefinition ?? '',
    launch_type: service.launchType,
  };
}

/** The service, or a not_found error with the code ECS itself uses. */
async function requireService(client: ECSClient, cluster: string, service: string, signal: AbortSignal) {
  const found = await findService(client, cluster, service, signal);
  if (!found) {
    throw new CopilotError('not_found', `service '${service}' does not exist in cluster '${cluster}'`, {
      awsCode: 'ServiceNotFoundException',
    });
  }
  return found;
}

export const createService = defineTool({
  name: 'create_service',
  description:
    'Create an ECS service that keeps desired_count tasks of a task definition running (FARGATE by default).',
  input: z
    .strictObject({
      cluster: clusterSchema,
      service_name: serviceNameSchema,
      task_definition: taskDefinitionSchema,
      desired_count: desiredCountSchema.describe('Number of tasks to keep running (0-1000)'),
      ...launchNetworkShape,
      region: regionSchema.optional(),
    })
    .refine(fargateNeedsSubnets.check, { error: fargateNeedsSubnets.error, path: fargateNeedsSubnets.path }),
  risk: 'write',
  iam: [
    'ecs:CreateService',
    'ecs:DescribeClusters',
    'ecs:DescribeServices',
    'ecs:DescribeTaskDefinition',
    'ecs:UpdateService',
    'ecs:DeleteService',
  ],
  preview: async (args, context) => {
    const client = context.aws.ecs(args.region);
    const warnings: string[] = [];
    const cluster = await findCluster(client, args.cluster, context.signal);
    if (!cluster) warnings.push(`cluster ${args.cluster} does not exist`);
    const definition = await findTaskDefinition(client, args.task_definition, context.signal);
    warnings.push(...taskDefinitionWarnings(args.task_definition, definition, args.subnets));
    if (cluster && (await findService(client, args.cluster, args.service_name, context.signal)))
      warnings.push(`service ${args.service_name} already exists in cluster ${args.cluster}`);
    const taskDefinition = shortTaskDefinition(definition?.taskDefinitionArn ?? args.task_definition);
    return {
      summary: `create service ${args.service_name} in ${args.cluster}: ${args.desired_count} x ${taskDefinition} on ${args.launch_type}`,
      method: 'describe-diff',
      changes: [
        {
          kind: 'create',
          resource: `ecs:service/${args.cluster}/${args.service_name}`,
          detail: `desiredCount ${args.desired_count}, taskDefinition ${taskDefinition}`,
        },
      ],
      warnings,
    };
  },
  run: async (args, context) => {
    const region = regionOf(args, context);
    const client = context.aws.ecs(region);
    await requireCluster(client, args.cluster, context.signal);
    // CreateService on an existing name either fails or silently answers for the old service;
    // refusing here keeps rollback from deleting a service this call did not create.
    if (await findService(client, args.cluster, args.service_name, context.signal)) {
      throw new CopilotError(
        'conflict',
        `service ${args.service_name} already exists in cluster ${args.cluster}; use update_service to change it`,
      );
    }
    const network = networkConfiguration(args);
    const { CreateServiceCommand } = await ecsSdk();
    const created = await callAws('CreateService', () =>
      client.send(
        new CreateServiceCommand({
          cluster: args.cluster,
          serviceName: args.service_name,
          taskDefinition: args.task_definition,
          desiredCount: args.desired_count,
          launchType: args.launch_type,
          ...(network ? { networkConfiguration: network } : {}),
        }),
        { abortSignal: context.signal },
      ),
    );
    const service = created.service ?? {};
    context.created({
      type: 'ecs:service',
      id: service.serviceArn ?? args.service_name,
      region,
      detail: { cluster: args.cluster, service_name: args.service_name },
    });
    return { ...serviceResult(service), region };
  },
  compensate: async ({ args, created }, context) => {
    const recorded = created.find((resource) => resource.type === 'ecs:service');
    if (!recorded) return `service ${args.service_name} was not created: nothing to undo`;
    const { DeleteServiceCommand, UpdateServiceCommand } = await ecsSdk();
    const client = context.aws.ecs(recorded.region ?? args.region);
    try {
      await callAws('UpdateService', () =>
        client.send(
          new UpdateServiceCommand({ cluster: args.cluster, service: args.service_name, desiredCount: 0 }),
          {
            abortSignal: context.signal,
          },
        ),
      );
      await callAws('DeleteService', () =>
        client.send(
          new DeleteServiceCommand({ cluster: args.cluster, service: args.service_name, force: true }),
          {
            abortSignal: context.signal,
          },
        ),
      );
    } catch (error) {
      if (
        hasAwsCode(error, 'ServiceNotFoundException', 'ServiceNotActiveException', 'ClusterNotFoundException')
      )
        return `service ${args.service_name} was already gone`;
      throw error;
    }
    return `scaled service ${args.service_name} to 0 and deleted it`;
  },
  resourceIds: (args, result) => [result?.service_arn || args.service_name],
  targets: (args) => [{ kind: 'ecs-cluster', cluster: args.cluster, region: args.region }],
});

export const updateService = defineTool({
  name: 'update_service',
  description:
    'Change an ECS service: desired task count, task definition revision (deploy or roll back), or force a new deployment.',
  input: z
    .strictObject({
      cluster: clusterSchema,
      service: serviceSchema,
      desired_count: desiredCountSchema
        .optional()
        .describe('New number of tasks (0-1000); 0 stops the service'),
      task_definition: taskDefinitionSchema.optional(),
      force_new_deployment: z
        .boolean()
        .optional()
        .describe('Replace every task even if nothing else changed'),
      region: regionSchema.optional(),
    })
    .refine(
      (args) =>
        args.desired_count !== undefined ||
        args.task_definition !== undefined ||
        args.force_new_deployment === true,
      {
        error: 'nothing to change: give desired_count, task_definition, or force_new_deployment: true',
        path: ['desired_count'],
      },
    ),
  risk: 'write',
  riskOf: (args) => (args.desired_count === 0 ? 'destructive' : 'write'),
  iam: ['ecs:UpdateService', 'ecs:DescribeServices', 'ecs:DescribeTaskDefinition'],
  preview: async (args, context) => {
    const client = context.aws.ecs(args.region);
    const warnings: string[] = [];
    const current = await findService(client, args.cluster, args.service, context.signal);
    if (!current) warnings.push(`service ${args.service} does not exist in cluster ${args.cluster}`);
    const changes: PreviewChange[] = [];
    const resource = current?.serviceArn ?? `ecs:service/${args.cluster}/${args.service}`;
    if (args.desired_count !== undefined)
      changes.push({
        kind: 'update',
        resource,
        detail: `desiredCount ${current?.desiredCount ?? '?'} -> ${args.desired_count}`,
      });
    if (args.task_definition !== undefined) {
      const target = await findTaskDefinition(client, args.task_definition, context.signal);
      if (!target) warnings.push(`task definition ${args.task_definition} does not exist`);
      const after = shortTaskDefinition(target?.taskDefinitionArn ?? args.task_definition);
      changes.push({
        kind: 'update',
        resource,
        detail: `taskDefinition ${shortTaskDefinition(current?.taskDefinition)} -> ${after}`,
      });
    }
    if (args.force_new_deployment)
      changes.push({ kind: 'update', resource, detail: 'force a new deployment' });
    if (args.desired_count === 0)
      warnings.push('desired_count 0 stops every task of the service: it stops serving');
    return {
      summary: `update service ${args.service}: ${changes.map((change) => change.detail).join(', ')}`,
      method: 'describe-diff',
      changes,
      warnings,
    };
  },
  run: async (args, context) => {
    const region = regionOf(args, context);
    const client = context.aws.ecs(region);
    const before = await requireService(client, args.cluster, args.service, context.signal);
    const { UpdateServiceCommand } = await ecsSdk();
    const updated = await callAws('UpdateService', () =>
      client.send(
        new UpdateServiceCommand({
          cluster: args.cluster,
          service: args.service,
          ...(args.desired_count !== undefined ? { desiredCount: args.desired_count } : {}),
          ...(args.task_definition !== undefined ? { taskDefinition: args.task_definition } : {}),
          ...(args.force_new_deployment ? { forceNewDeployment: true } : {}),
        }),
        { abortSignal: context.signal },
      ),
    );
    return {
      ...serviceResult(updated.service ?? {}),
      region,
      previous: { desired_count: before.desiredCount ?? 0, task_definition: before.taskDefinition ?? '' },
    };
  },
  compensate: async ({ args, result }, context) => {
    if (!result) return `service ${args.service} was not changed: nothing to undo`;
    const { previous } = result;
    const restoreCount = args.desired_count !== undefined;
    const restoreDefinition = args.task_definition !== undefined && previous.task_definition !== '';
    if (!restoreCount && !restoreDefinition)
      return 'a forced deployment cannot be undone; settings were unchanged';
    const { UpdateServiceCommand } = await ecsSdk();
    await callAws('UpdateService', () =>
      context.aws.ecs(result.region ?? args.region).send(
        new UpdateServiceCommand({
          cluster: args.cluster,
          service: args.service,
          ...(restoreCount ? { desiredCount: previous.desired_count } : {}),
          ...(restoreDefinition ? { taskDefinition: previous.task_definition } : {}),
        }),
        { abortSignal: context.signal },
      ),
    );
    const restored = [
      ...(restoreCount ? [`desiredCount ${previous.desired_count}`] : []),
      ...(restoreDefinition ? [`taskDefinition ${shortTaskDefinition(previous.task_definition)}`] : []),
    ];
    return `restored service ${args.service}: ${restored.join(', ')}`;
  },
  resourceIds: (args, result) => [result?.service_arn || args.service],
  targets: (args) => [
    { kind: 'ecs-cluster', cluster: args.cluster, region: args.region },
    { kind: 'ecs-service', cluster: args.cluster, service: args.service, region: args.region },
  ],
});
