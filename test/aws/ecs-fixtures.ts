/** Shared setup for the ECS tests: the default VPC's network and ready-made tool arguments. */
import { DescribeSecurityGroupsCommand, DescribeSubnetsCommand } from '@aws-sdk/client-ec2';
import type { ToolHarness } from '../helpers/tool-harness.js';

export interface AwsvpcNetwork {
  subnets: string[];
  security_groups: string[];
}

/** A subnet and the default security group of the region's default VPC (the emulator creates both). */
export async function defaultNetwork(harness: ToolHarness): Promise<AwsvpcNetwork> {
  const ec2 = harness.aws.ec2();
  const subnets = await ec2.send(
    new DescribeSubnetsCommand({ Filters: [{ Name: 'default-for-az', Values: ['true'] }] }),
  );
  const groups = await ec2.send(
    new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'group-name', Values: ['default'] }] }),
  );
  const subnet = subnets.Subnets?.[0]?.SubnetId;
  const vpc = subnets.Subnets?.[0]?.VpcId;
  const group = groups.SecurityGroups?.find((candidate) => candidate.VpcId === vpc)?.GroupId;
  if (!subnet || !group) throw new Error('the emulator has no default VPC subnet or security group');
  return { subnets: [subnet], security_groups: [group] };
}

/** Arguments of a small FARGATE task definition running `image`. */
export function fargateTaskDefinition(family: string, image: string) {
  return {
    family,
    container_definitions: [
      {
        name: 'web',
        image,
        // AWS lets a FARGATE container inherit the task's memory; moto 5.2.5's RunTask needs a
        // container-level memory or memoryReservation, so the fixture sets one (valid on AWS too).
        memory_reservation: 256,
        port_mappings: [{ container_port: 8080 }],
        environment: { APP_MODE: 'production', DATABASE_PASSWORD: 'hunter2-not-for-logs' },
        log_group: `/ecs/${family}`,
      },
    ],
    cpu: 256,
    memory: 512,
    execution_role_arn: 'arn:aws:iam::123456789012:role/ecsTaskExecutionRole',
  };
}
