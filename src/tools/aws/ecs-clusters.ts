/** ECS clusters: create (idempotent), describe and list. */
import type { Cluster } from '@aws-sdk/client-ecs';
import { z } from 'zod';
import { defineTool, readOnlyPreview, type ToolContext } from '../define-tool.js';
import { callAws, hasAwsCode } from './aws-error.js';
import {
  clusterNameSchema,
  clusterSchema,
  collectPages,
  failureList,
  findCluster,
  LIST_CAP,
} from './ecs-common.js';
import { regionOf, regionSchema } from './regions.js';
import { ecsSdk } from './sdk.js';

function clusterSummary(cluster: Cluster) {
  return {
    cluster_name: cluster.clusterName ?? '',
    cluster_arn: cluster.clusterArn ?? '',
    status: cluster.status ?? 'UNKNOWN',
    active_services: cluster.activeServicesCount ?? 0,
    running_tasks: cluster.runningTasksCount ?? 0,
    pending_tasks: cluster.pendingTasksCount ?? 0,
    registered_container_instances: cluster.registeredContainerInstancesCount ?? 0,
    capacity_providers: cluster.capacityProviders ?? [],
  };
}

export const createCluster = defineTool({
  name: 'create_cluster',
  description:
    'Create an ECS cluster; when an ACTIVE cluster of that name already exists it is left as it is.',
  input: z.strictObject({
    cluster_name: clusterNameSchema,
    tags: z
      .record(z.string().min(1).max(128), z.string().max(256))
      .optional()
      .describe('Tags for a new cluster, key -> value'),
    region: regionSchema.optional(),
  }),
  risk: 'write',
  iam: ['ecs:CreateCluster', 'ecs:DescribeClusters', 'ecs:TagResource', 'ecs:DeleteCluster'],
  idempotent: true,
  preview: async (args, context) => {
    const existing = await findCluster(context.aws.ecs(args.region), args.cluster_name, context.signal);
    if (existing) {
      return {
        summary: `cluster ${args.cluster_name} already exists (ACTIVE): nothing to create`,
        method: 'describe-diff',
        changes: [{ kind: 'no-op', resource: existing.clusterArn ?? args.cluster_name }],
        warnings: [],
      };
    }
    return {
      summary: `create ECS cluster ${args.cluster_name}`,
      method: 'describe-diff',
      changes: [{ kind: 'create', resource: `ecs:cluster/${args.cluster_name}` }],
      warnings: [],
    };
  },
  run: async (args, context) => {
    const region = regionOf(args, context);
    const client = context.aws.ecs(region);
    const existing = await findCluster(client, args.cluster_name, context.signal);
    if (existing) {
      return { ...clusterSummary(existing), region, operation: 'exists' as const };
    }
    const tags = Object.entries(args.tags ?? {}).map(([key, value]) => ({ key, value }));
    const { CreateClusterCommand } = await ecsSdk();
    const created = await callAws('CreateCluster', () =>
      client.send(
        new CreateClusterCommand({ clusterName: args.cluster_name, ...(tags.length > 0 ? { tags } : {}) }),
        { abortSignal: context.signal },
      ),
    );
    const cluster = created.cluster ?? {};
    context.created({ type: 'ecs:cluster', id: cluster.clusterArn ?? args.cluster_name, region });
    return { ...clusterSummary(cluster), region, operation: 'created' as const };
  },
  compensate: async ({ args, result, created }, context) => {
    const recorded = created.find((resource) => resource.type === 'ecs:cluster');
    const clusterId = recorded?.id ?? (result?.operation === 'created' ? result.cluster_arn : undefined);
    if (!clusterId) return `cluster ${args.cluster_name} existed before this call: nothing to undo`;
    const { DeleteClusterCommand } = await ecsSdk();
    try {
      await callAws('DeleteCluster', () =>
        context.aws
          .ecs(recorded?.region ?? args.region)
          .send(new DeleteClusterCommand({ cluster: clusterId }), { abortSignal: context.signal }),
      );
    } catch (error) {
      if (hasAwsCode(error, 'ClusterNotFoundException'))
        return `cluster ${args.cluster_name} was already gone`;
      throw error;
    }
    return `deleted cluster ${args.cluster_name}`;
  },
  resourceIds: (args, result) => [result?.cluster_arn || args.cluster_name],
});

/** Lists every cluster ARN of the region, up to the cap. */
async function listClusterArns(region: string | undefined, context: ToolContext) {
  const { ListClustersCommand } = await ecsSdk();
  const client = context.aws.ecs(region);
  return collectPages(async (nextToken) => {
    const page = await callAws('ListClusters', () =>
      client.send(new ListClustersCommand({ nextToken, maxResults: 100 }), { abortSignal: context.signal }),
    );
    return { items: page.clusterArns ?? [], nextToken: page.nextToken };
  }, LIST_CAP);
}

export const listClusters = defineTool({
  name: 'list_clusters',
  description: 'List the ARNs of the ECS clusters in a region.',
  input: z.strictObject({ region: regionSchema.optional() }),
  risk: 'read',
  iam: ['ecs:ListClusters'],
  idempotent: true,
  preview: async () => readOnlyPreview('list ECS clusters'),
  run: async (args, context) => {
    const { items, truncated } = await listClusterArns(args.region, context);
    return { cluster_arns: items, count: items.length, truncated };
  },
});

export const describeClusters = defineTool({
  name: 'describe_clusters',
  description:
    'Describe ECS clusters (status, service and task counts); without `clusters` it describes every cluster of the region.',
  input: z.strictObject({
    clusters: z.array(clusterSchema).min(1).max(100).optional().describe('Cluster names or ARNs (1-100)'),
    region: regionSchema.optional(),
  }),
  risk: 'read',
  iam: ['ecs:DescribeClusters', 'ecs:ListClusters'],
  idempotent: true,
  preview: async (args) =>
    readOnlyPreview(`describe ECS clusters ${args.clusters ? args.clusters.join(', ') : '(all)'}`),
  run: async (args, context) => {
    const { DescribeClustersCommand } = await ecsSdk();
    const client = context.aws.ecs(args.region);
    const names = args.clusters ?? (await listClusterArns(args.region, context)).items;
    const clusters: ReturnType<typeof clusterSummary>[] = [];
    const failures: { arn: string; reason: string }[] = [];
    for (let start = 0; start < names.length; start += 100) {
      const batch = names.slice(start, start + 100);
      const page = await callAws('DescribeClusters', () =>
        client.send(new DescribeClustersCommand({ clusters: batch }), { abortSignal: context.signal }),
      );
      clusters.push(...(page.clusters ?? []).map(clusterSummary));
      failures.push(...failureList(page.failures));
    }
    return { clusters, failures };
  },
});
