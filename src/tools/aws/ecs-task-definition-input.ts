/** The input of register_task_definition and its translation into an ECS RegisterTaskDefinition request. */
import type { ContainerDefinition, RegisterTaskDefinitionCommandInput } from '@aws-sdk/client-ecs';
import { z } from 'zod';
import { familySchema } from './ecs-common.js';
import { fargateSizeProblem } from './ecs-fargate-sizes.js';
import { regionSchema } from './regions.js';

const roleArnSchema = z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/, {
  error: 'role ARN must look like arn:aws:iam::123456789012:role/name',
});

const containerSchema = z.strictObject({
  name: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,255}$/, {
      error: 'container name must be 1-255 letters, digits, hyphens, underscores',
    })
    .describe('Container name, unique within the task definition'),
  image: z.string().min(1).max(2048).describe('Image reference, e.g. nginx:1.27 or an ECR URI'),
  essential: z.boolean().optional().describe('Stop the task when this container stops (default true)'),
  cpu: z.number().int().min(0).max(196608).optional().describe('CPU units reserved for the container'),
  memory: z.number().int().min(6).optional().describe('Hard memory limit in MiB'),
  memory_reservation: z.number().int().min(6).optional().describe('Soft memory limit in MiB'),
  port_mappings: z
    .array(
      z.strictObject({
        container_port: z.number().int().min(1).max(65535).describe('Port the container listens on'),
        protocol: z.enum(['tcp', 'udp']).optional().describe('tcp (default) or udp'),
      }),
    )
    .max(100)
    .optional()
    .describe('Ports the container exposes'),
  environment: z
    .record(
      z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, {
        error: 'environment variable names are letters, digits and underscores, not starting with a digit',
      }),
      z.string(),
    )
    .optional()
    .describe('Environment variables, NAME -> value'),
  command: z.array(z.string()).max(100).optional().describe('Command overriding the image CMD'),
  log_group: z
    .string()
    .regex(/^[.\-_/#A-Za-z0-9]{1,512}$/, {
      error: 'log group names are 1-512 letters, digits and . - _ / #',
    })
    .optional()
    .describe('CloudWatch Logs group for the awslogs driver (stream prefix = container name)'),
});

export type ContainerInput = z.infer<typeof containerSchema>;

export const registerTaskDefinitionInput = z
  .strictObject({
    family: familySchema,
    container_definitions: z.array(containerSchema).min(1).max(10).describe('Containers of the task (1-10)'),
    requires_compatibilities: z
      .array(z.enum(['FARGATE', 'EC2']))
      .min(1)
      .max(2)
      .default(['FARGATE'])
      .describe('Launch types the task definition must be valid for'),
    network_mode: z
      .enum(['awsvpc', 'bridge', 'host', 'none'])
      .optional()
      .describe(
        'Docker networking mode; awsvpc (required for FARGATE) by default for FARGATE, bridge for EC2',
      ),
    cpu: z
      .number()
      .int()
      .positive()
      .optional()
      .describe('Task CPU units (1024 = 1 vCPU); required for FARGATE'),
    memory: z.number().int().positive().optional().describe('Task memory in MiB; required for FARGATE'),
    execution_role_arn: roleArnSchema
      .optional()
      .describe(
        'Role ECS uses to pull images and write logs (needed for awslogs and private ECR on FARGATE)',
      ),
    task_role_arn: roleArnSchema.optional().describe('Role the containers assume'),
    region: regionSchema.optional(),
  })
  .superRefine((args, issues) => {
    const fargate = args.requires_compatibilities.includes('FARGATE');
    if (fargate && args.network_mode && args.network_mode !== 'awsvpc') {
      issues.addIssue({
        code: 'custom',
        path: ['network_mode'],
        message: `FARGATE requires network_mode awsvpc; got ${args.network_mode}`,
      });
    }
    if (fargate && args.cpu === undefined) {
      issues.addIssue({
        code: 'custom',
        path: ['cpu'],
        message: 'FARGATE requires a task-level cpu (e.g. 256)',
      });
    }
    if (fargate && args.memory === undefined) {
      issues.addIssue({
        code: 'custom',
        path: ['memory'],
        message: 'FARGATE requires a task-level memory in MiB (e.g. 512)',
      });
    }
    if (fargate && args.cpu !== undefined && args.memory !== undefined) {
      const problem = fargateSizeProblem(args.cpu, args.memory);
      if (problem) issues.addIssue({ code: 'custom', path: [problem.field], message: problem.message });
    }
    const names = new Set<string>();
    args.container_definitions.forEach((container, index) => {
      if (names.has(container.name)) {
        issues.addIssue({
          code: 'custom',
          path: ['container_definitions', index, 'name'],
          message: `container name '${container.name}' is used twice`,
        });
      }
      names.add(container.name);
      if (
        args.memory === undefined &&
        container.memory === undefined &&
        container.memory_reservation === undefined
      ) {
        issues.addIssue({
          code: 'custom',
          path: ['container_definitions', index, 'memory'],
          message: `container '${container.name}' needs memory or memory_reservation when the task has no memory`,
        });
      }
      if (
        container.memory !== undefined &&
        container.memory_reservation !== undefined &&
        container.memory_reservation > container.memory
      ) {
        issues.addIssue({
          code: 'custom',
          path: ['container_definitions', index, 'memory_reservation'],
          message: 'memory_reservation must not exceed memory',
        });
      }
    });
  });

export type RegisterTaskDefinitionArgs = z.infer<typeof registerTaskDefinitionInput>;

export function effectiveNetworkMode(args: RegisterTaskDefinitionArgs): string {
  return args.network_mode ?? (args.requires_compatibilities.includes('FARGATE') ? 'awsvpc' : 'bridge');
}

function containerDefinition(container: ContainerInput, region: string): ContainerDefinition {
  return {
    name: container.name,
    image: container.image,
    essential: container.essential ?? true,
    ...(container.cpu !== undefined ? { cpu: container.cpu } : {}),
    ...(container.memory !== undefined ? { memory: container.memory } : {}),
    ...(container.memory_reservation !== undefined
      ? { memoryReservation: container.memory_reservation }
      : {}),
    ...(container.port_mappings
      ? {
          portMappings: container.port_mappings.map((mapping) => ({
            containerPort: mapping.container_port,
            protocol: mapping.protocol ?? 'tcp',
          })),
        }
      : {}),
    ...(container.environment
      ? { environment: Object.entries(container.environment).map(([name, value]) => ({ name, value })) }
      : {}),
    ...(container.command ? { command: container.command } : {}),
    ...(container.log_group
      ? {
          logConfiguration: {
            logDriver: 'awslogs',
            options: {
              'awslogs-group': container.log_group,
              'awslogs-region': region,
              'awslogs-stream-prefix': container.name,
            },
          },
        }
      : {}),
  };
}

export function registerRequest(
  args: RegisterTaskDefinitionArgs,
  region: string,
): RegisterTaskDefinitionCommandInput {
  return {
    family: args.family,
    containerDefinitions: args.container_definitions.map((container) =>
      containerDefinition(container, region),
    ),
    requiresCompatibilities: args.requires_compatibilities,
    networkMode: effectiveNetworkMode(args) as RegisterTaskDefinitionCommandInput['networkMode'],
    ...(args.cpu !== undefined ? { cpu: String(args.cpu) } : {}),
    ...(args.memory !== undefined ? { memory: String(args.memory) } : {}),
    ...(args.execution_role_arn ? { executionRoleArn: args.execution_role_arn } : {}),
    ...(args.task_role_arn ? { taskRoleArn: args.task_role_arn } : {}),
  };
}
