/** ECS task definitions: register a revision (with a diff against the latest ACTIVE one) and describe. */
import type { ContainerDefinition, ECSClient, TaskDefinition } from '@aws-sdk/client-ecs';
import { z } from 'zod';
import { defineTool, readOnlyPreview } from '../define-tool.js';
import { callAws, hasAwsCode } from './aws-error.js';
import { collectPages, findTaskDefinition, taskDefinitionSchema } from './ecs-common.js';
import {
  effectiveNetworkMode,
  type RegisterTaskDefinitionArgs,
  registerRequest,
  registerTaskDefinitionInput,
} from './ecs-task-definition-input.js';
import { regionOf, regionSchema } from './regions.js';
import { ecsSdk } from './sdk.js';

/** Revision numbers of exactly this family (ListTaskDefinitions matches by prefix) with the given status. */
async function familyRevisions(
  client: ECSClient,
  family: string,
  status: 'ACTIVE' | 'INACTIVE',
  signal: AbortSignal,
): Promise<number[]> {
  const { ListTaskDefinitionsCommand } = await ecsSdk();
  const { items } = await collectPages(async (nextToken) => {
    const page = await callAws('ListTaskDefinitions', () =>
      client.send(
        new ListTaskDefinitionsCommand({ familyPrefix: family, status, nextToken, maxResults: 100 }),
        {
          abortSignal: signal,
        },
      ),
    );
    return { items: page.taskDefinitionArns ?? [], nextToken: page.nextToken };
  }, 5000);
  return items
    .map((arn) => /task-definition\/([^:]+):(\d+)$/.exec(arn))
    .filter((match): match is RegExpExecArray => match?.[1] === family)
    .map((match) => Number(match[2]));
}

function sizeOf(value: string | number | undefined): string {
  return value === undefined ? '-' : String(value);
}

/** One line per difference between the latest ACTIVE revision and the one about to be registered. */
function diffTaskDefinitions(current: TaskDefinition, next: RegisterTaskDefinitionArgs): string[] {
  const lines: string[] = [];
  if (sizeOf(current.cpu) !== sizeOf(next.cpu))
    lines.push(`cpu ${sizeOf(current.cpu)} -> ${sizeOf(next.cpu)}`);
  if (sizeOf(current.memory) !== sizeOf(next.memory))
    lines.push(`memory ${sizeOf(current.memory)} -> ${sizeOf(next.memory)}`);
  if ((current.networkMode ?? '-') !== effectiveNetworkMode(next))
    lines.push(`networkMode ${current.networkMode ?? '-'} -> ${effectiveNetworkMode(next)}`);
  const before = new Map((current.containerDefinitions ?? []).map((c) => [c.name ?? '', c]));
  for (const container of next.container_definitions) {
    const old = before.get(container.name);
    before.delete(container.name);
    if (!old) {
      lines.push(`container ${container.name}: added (image ${container.image})`);
      continue;
    }
    if (old.image !== container.image)
      lines.push(`container ${container.name}: image ${old.image} -> ${container.image}`);
    if (sizeOf(old.cpu || undefined) !== sizeOf(container.cpu || undefined))
      lines.push(`container ${container.name}: cpu ${sizeOf(old.cpu)} -> ${sizeOf(container.cpu)}`);
    if (sizeOf(old.memory) !== sizeOf(container.memory))
      lines.push(`container ${container.name}: memory ${sizeOf(old.memory)} -> ${sizeOf(container.memory)}`);
  }
  for (const name of before.keys()) lines.push(`container ${name}: removed`);
  return lines;
}

export const registerTaskDefinition = defineTool({
  name: 'register_task_definition',
  description:
    'Register a new revision of an ECS task definition (containers, image, cpu/memory, roles, awslogs logging).',
  input: registerTaskDefinitionInput,
  risk: 'write',
  iam: [
    'ecs:RegisterTaskDefinition',
    'ecs:ListTaskDefinitions',
    'ecs:DescribeTaskDefinition',
    'ecs:DeregisterTaskDefinition',
    'iam:PassRole',
  ],
  preview: async (args, context) => {
    const client = context.aws.ecs(args.region);
    const active = await familyRevisions(client, args.family, 'ACTIVE', context.signal);
    const inactive = await familyRevisions(client, args.family, 'INACTIVE', context.signal);
    const nextRevision = Math.max(0, ...active, ...inactive) + 1;
    const resource = `ecs:task-definition/${args.family}:${nextRevision}`;
    const warnings: string[] = [];
    const fargate = args.requires_compatibilities.includes('FARGATE');
    if (fargate && !args.execution_role_arn && args.container_definitions.some((c) => c.log_group)) {
      warnings.push('FARGATE tasks need execution_role_arn to send logs with the awslogs driver');
    }
    if (active.length === 0) {
      return {
        summary: `register ${args.family}:${nextRevision}, the first ACTIVE revision of family ${args.family}`,
        method: 'describe-diff',
        changes: [{ kind: 'create', resource }],
        warnings,
      };
    }
    const latest = `${args.family}:${Math.max(...active)}`;
    const current = await findTaskDefinition(client, latest, context.signal);
    const differences = current ? diffTaskDefinitions(current, args) : [];
    const detail = differences.length > 0 ? differences.join('; ') : 'same images and sizes';
    return {
      summary: `register ${args.family}:${nextRevision} (latest ACTIVE is ${latest}): ${detail}`,
      method: 'describe-diff',
      changes: [{ kind: 'create', resource, detail: `vs ${latest}: ${detail}` }],
      warnings,
    };
  },
  run: async (args, context) => {
    const region = regionOf(args, context);
    const { RegisterTaskDefinitionCommand } = await ecsSdk();
    const registered = await callAws('RegisterTaskDefinition', () =>
      context.aws.ecs(region).send(new RegisterTaskDefinitionCommand(registerRequest(args, region)), {
        abortSignal: context.signal,
      }),
    );
    const definition = registered.taskDefinition ?? {};
    const arn = definition.taskDefinitionArn ?? '';
    context.created({ type: 'ecs:task-definition', id: arn, region });
    return {
      task_definition_arn: arn,
      family: definition.family ?? args.family,
      revision: definition.revision ?? 0,
      status: definition.status ?? 'ACTIVE',
      network_mode: definition.networkMode ?? effectiveNetworkMode(args),
      cpu: definition.cpu,
      memory: definition.memory,
    };
  },
  compensate: async ({ result, created }, context) => {
    const recorded = created.find((resource) => resource.type === 'ecs:task-definition');
    const arn = recorded?.id || result?.task_definition_arn;
    if (!arn) return 'no task definition revision was registered: nothing to undo';
    const { DeregisterTaskDefinitionCommand } = await ecsSdk();
    try {
      await callAws('DeregisterTaskDefinition', () =>
        context.aws.ecs(recorded?.region).send(new DeregisterTaskDefinitionCommand({ taskDefinition: arn }), {
          abortSignal: context.signal,
        }),
      );
    } catch (error) {
      if (hasAwsCode(error, 'ClientException')) return `${arn} was already gone`;
      throw error;
    }
    return `deregistered ${arn.split('/').pop()}`;
  },
  resourceIds: (args, result) => [result?.task_definition_arn || args.family],
});

/** Container settings without secrets: environment variable names only, never their values. */
function containerSummary(container: ContainerDefinition) {
  const log = container.logConfiguration;
  const options = log?.options ?? {};
  return {
    name: container.name ?? '',
    image: container.image ?? '',
    essential: container.essential ?? true,
    cpu: container.cpu ?? 0,
    memory: container.memory,
    memory_reservation: container.memoryReservation,
    port_mappings: (container.portMappings ?? []).map((p) => ({
      container_port: p.containerPort,
      protocol: p.protocol ?? 'tcp',
    })),
    environment_names: (container.environment ?? []).map((variable) => variable.name ?? ''),
    secret_names: (container.secrets ?? []).map((secret) => secret.name ?? ''),
    ...(log
      ? {
          log_configuration: {
            driver: log.logDriver ?? '',
            // awslogs options are locations; other drivers may carry tokens in options, so only names.
            ...(log.logDriver === 'awslogs' ? { options } : { option_names: Object.keys(options) }),
          },
        }
      : {}),
  };
}

export const describeTaskDefinition = defineTool({
  name: 'describe_task_definition',
  description:
    'Describe an ECS task definition revision: sizes, roles and each container (image, cpu, memory, env var names, logging).',
  input: z.strictObject({ task_definition: taskDefinitionSchema, region: regionSchema.optional() }),
  risk: 'read',
  iam: ['ecs:DescribeTaskDefinition'],
  idempotent: true,
  preview: async (args) => readOnlyPreview(`describe task definition ${args.task_definition}`),
  run: async (args, context) => {
    const { DescribeTaskDefinitionCommand } = await ecsSdk();
    const described = await callAws('DescribeTaskDefinition', () =>
      context.aws
        .ecs(args.region)
        .send(new DescribeTaskDefinitionCommand({ taskDefinition: args.task_definition }), {
          abortSignal: context.signal,
        }),
    );
    const found = described.taskDefinition ?? {};
    return {
      task_definition_arn: found.taskDefinitionArn ?? '',
      family: found.family ?? '',
      revision: found.revision ?? 0,
      status: found.status ?? '',
      network_mode: found.networkMode,
      requires_compatibilities: found.requiresCompatibilities ?? [],
      cpu: found.cpu,
      memory: found.memory,
      execution_role_arn: found.executionRoleArn,
      task_role_arn: found.taskRoleArn,
      containers: (found.containerDefinitions ?? []).map(containerSummary),
    };
  },
});
