/** Read-only ECS service tools: a compact describe for triage, and the list of a cluster's services. */
import type { Service } from '@aws-sdk/client-ecs';
import { z } from 'zod';
import { defineTool, readOnlyPreview } from '../define-tool.js';
import { callAws } from './aws-error.js';
import {
  clusterSchema,
  collectPages,
  failureList,
  isoDate,
  LIST_CAP,
  launchTypeSchema,
  serviceSchema,
} from './ecs-common.js';
import { regionSchema } from './regions.js';
import { ecsSdk } from './sdk.js';

const EVENTS_SHOWN = 10;

function serviceSummary(service: Service) {
  return {
    service_name: service.serviceName ?? '',
    service_arn: service.serviceArn ?? '',
    status: service.status ?? '',
    desired_count: service.desiredCount ?? 0,
    running_count: service.runningCount ?? 0,
    pending_count: service.pendingCount ?? 0,
    task_definition: service.taskDefinition ?? '',
    launch_type: service.launchType,
    deployments: (service.deployments ?? []).map((deployment) => ({
      id: deployment.id ?? '',
      status: deployment.status ?? '',
      task_definition: deployment.taskDefinition ?? '',
      desired_count: deployment.desiredCount ?? 0,
      running_count: deployment.runningCount ?? 0,
      pending_count: deployment.pendingCount ?? 0,
      failed_tasks: deployment.failedTasks ?? 0,
      rollout_state: deployment.rolloutState,
      rollout_state_reason: deployment.rolloutStateReason,
      created_at: isoDate(deployment.createdAt),
      updated_at: isoDate(deployment.updatedAt),
    })),
    // ECS lists events newest first.
    events: (service.events ?? []).slice(0, EVENTS_SHOWN).map((event) => ({
      created_at: isoDate(event.createdAt),
      message: event.message ?? '',
    })),
  };
}

export const describeServices = defineTool({
  name: 'describe_services',
  description:
    'Describe ECS services compactly: status, desired/running/pending counts, deployments with rollout state, the last 10 events.',
  input: z.strictObject({
    cluster: clusterSchema,
    services: z.array(serviceSchema).min(1).max(10).describe('Service names or ARNs (1-10)'),
    region: regionSchema.optional(),
  }),
  risk: 'read',
  iam: ['ecs:DescribeServices'],
  idempotent: true,
  preview: async (args) =>
    readOnlyPreview(`describe services ${args.services.join(', ')} in ${args.cluster}`),
  run: async (args, context) => {
    const { DescribeServicesCommand } = await ecsSdk();
    const described = await callAws('DescribeServices', () =>
      context.aws
        .ecs(args.region)
        .send(new DescribeServicesCommand({ cluster: args.cluster, services: args.services }), {
          abortSignal: context.signal,
        }),
    );
    return {
      services: (described.services ?? []).map(serviceSummary),
      failures: failureList(described.failures),
    };
  },
});

export const listServices = defineTool({
  name: 'list_services',
  description: 'List the ARNs of the services in an ECS cluster.',
  input: z.strictObject({
    cluster: clusterSchema,
    launch_type: launchTypeSchema.optional().describe('Only services of this launch type'),
    region: regionSchema.optional(),
  }),
  risk: 'read',
  iam: ['ecs:ListServices'],
  idempotent: true,
  preview: async (args) => readOnlyPreview(`list services of cluster ${args.cluster}`),
  run: async (args, context) => {
    const { ListServicesCommand } = await ecsSdk();
    const client = context.aws.ecs(args.region);
    const { items, truncated } = await collectPages(async (nextToken) => {
      const page = await callAws('ListServices', () =>
        client.send(
          new ListServicesCommand({
            cluster: args.cluster,
            nextToken,
            maxResults: 100,
            ...(args.launch_type ? { launchType: args.launch_type } : {}),
          }),
          { abortSignal: context.signal },
        ),
      );
      return { items: page.serviceArns ?? [], nextToken: page.nextToken };
    }, LIST_CAP);
    return { service_arns: items, count: items.length, truncated };
  },
});
