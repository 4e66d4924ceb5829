/**
 * launch_ec2: one instance, idempotent through EC2's ClientToken. The token is also written to a
 * tag and looked up before launching, because the local emulator (moto) ignores ClientToken.
 */
import type { _InstanceType, RunInstancesCommandInput } from '@aws-sdk/client-ec2';
import { CopilotError } from '../../errors/copilot-error.js';
import { defineTool, type ToolContext } from '../define-tool.js';
import { callAws, isAwsServiceError } from './aws-error.js';
import { CLIENT_TOKEN_TAG, deriveClientToken, type LaunchArgs, launchInput } from './ec2-launch-input.js';
import {
  findInstances,
  GONE_STATES,
  type InstanceSummary,
  instancesById,
  probeDryRun,
  waitForState,
} from './ec2-shared.js';
import { regionOf } from './regions.js';
import { ec2Sdk } from './sdk.js';

export interface LaunchResult {
  instance_id: string;
  state: string;
  instance_type: string;
  ami_id: string;
  private_ip?: string;
  public_ip?: string;
  public_dns?: string;
  client_token: string;
  /** `exists` when an earlier call with the same client token already launched the instance. */
  operation: 'created' | 'exists';
}

function runInstancesInput(args: LaunchArgs, clientToken: string): RunInstancesCommandInput {
  const tags = [
    ...Object.entries(args.tags ?? {}).map(([Key, Value]) => ({ Key, Value })),
    { Key: CLIENT_TOKEN_TAG, Value: clientToken },
  ];
  const profile = args.iam_instance_profile;
  return {
    ImageId: args.ami_id,
    InstanceType: args.instance_type as _InstanceType,
    MinCount: 1,
    MaxCount: 1,
    ClientToken: clientToken,
    ...(args.key_name ? { KeyName: args.key_name } : {}),
    ...(args.subnet_id ? { SubnetId: args.subnet_id } : {}),
    ...(args.security_group_ids ? { SecurityGroupIds: args.security_group_ids } : {}),
    ...(args.user_data ? { UserData: Buffer.from(args.user_data, 'utf8').toString('base64') } : {}),
    ...(profile
      ? { IamInstanceProfile: profile.startsWith('arn:') ? { Arn: profile } : { Name: profile } }
      : {}),
    TagSpecifications: [{ ResourceType: 'instance', Tags: tags }],
  };
}

/**
 * Describe calls that fail exactly when RunInstances would fail on a missing reference. The
 * emulator launches from any AMI and key name, so `run` makes them itself before launching.
 */
async function referenceChecks(args: LaunchArgs, region: string, context: ToolContext) {
  const {
    DescribeImagesCommand,
    DescribeKeyPairsCommand,
    DescribeSecurityGroupsCommand,
    DescribeSubnetsCommand,
  } = await ec2Sdk();
  const client = context.aws.ec2(region);
  const options = { abortSignal: context.signal };
  const notFound = (awsCode: string, what: string) =>
    new CopilotError('not_found', `${what} does not exist in ${region}`, { awsCode });
  const checks: Array<{ what: string; check: () => Promise<void> }> = [
    {
      what: `AMI ${args.ami_id}`,
      check: async () => {
        const found = await client.send(new DescribeImagesCommand({ ImageIds: [args.ami_id] }), options);
        if (!found.Images?.length) throw notFound('InvalidAMIID.NotFound', `AMI ${args.ami_id}`);
      },
    },
  ];
  const { key_name: keyName, subnet_id: subnetId, security_group_ids: groupIds } = args;
  if (keyName)
    checks.push({
      what: `key pair ${keyName}`,
      check: async () => {
        const found = await client.send(new DescribeKeyPairsCommand({ KeyNames: [keyName] }), options);
        if (!found.KeyPairs?.length) throw notFound('InvalidKeyPair.NotFound', `key pair ${keyName}`);
      },
    });
  if (subnetId)
    checks.push({
      what: `subnet ${subnetId}`,
      check: async () => {
        const found = await client.send(new DescribeSubnetsCommand({ SubnetIds: [subnetId] }), options);
        if (!found.Subnets?.length) throw notFound('InvalidSubnetID.NotFound', `subnet ${subnetId}`);
      },
    });
  if (groupIds)
    checks.push({
      what: `security groups ${groupIds.join(', ')}`,
      check: async () => {
        const found = await client.send(new DescribeSecurityGroupsCommand({ GroupIds: groupIds }), options);
        if ((found.SecurityGroups?.length ?? 0) < groupIds.length)
          throw notFound('InvalidGroup.NotFound', `a security group of ${groupIds.join(', ')}`);
      },
    });
  return checks;
}

/** What an earlier launch with this token left: a live instance to reuse, or a terminated one. */
async function instancesForToken(
  context: ToolContext,
  region: string,
  token: string,
): Promise<{ alive?: InstanceSummary; gone?: InstanceSummary }> {
  const { instances } = await findInstances(context, region, [
    { Name: `tag:${CLIENT_TOKEN_TAG}`, Values: [token] },
  ]);
  const alive = instances.find((instance) => !GONE_STATES.has(instance.state));
  if (alive) return { alive };
  return instances[0] ? { gone: instances[0] } : {};
}

/** EC2 answers a spent token with its terminated instance; say how to launch a fresh one. */
function tokenSpent(token: string, gone: InstanceSummary): CopilotError {
  return new CopilotError(
    'conflict',
    `client token ${token} already launched ${gone.instance_id}, which is now ${gone.state}; pass a new client_token to launch another instance`,
  );
}

function toResult(
  instance: InstanceSummary,
  token: string,
  operation: LaunchResult['operation'],
): LaunchResult {
  return {
    instance_id: instance.instance_id,
    state: instance.state,
    instance_type: instance.instance_type,
    ami_id: instance.ami_id,
    ...(instance.private_ip ? { private_ip: instance.private_ip } : {}),
    ...(instance.public_ip ? { public_ip: instance.public_ip } : {}),
    ...(instance.public_dns ? { public_dns: instance.public_dns } : {}),
    client_token: token,
    operation,
  };
}

async function reuse(
  args: LaunchArgs,
  region: string,
  token: string,
  existing: InstanceSummary,
  context: ToolContext,
): Promise<LaunchResult> {
  if (existing.instance_type !== args.instance_type || existing.ami_id !== args.ami_id)
    throw new CopilotError(
      'conflict',
      `client token ${token} already launched ${existing.instance_id} (${existing.instance_type} from ${existing.ami_id}) with different arguments`,
      { awsCode: 'IdempotentParameterMismatch' },
    );
  context.progress(`${existing.instance_id} was already launched with client token ${token}`);
  if (existing.state !== 'pending') return toResult(existing, token, 'exists');
  await waitForState(context, region, [existing.instance_id], 'running');
  const now = (await instancesById(context, region, [existing.instance_id])).get(existing.instance_id);
  return toResult(now ?? existing, token, 'exists');
}

export const launchEc2 = defineTool({
  name: 'launch_ec2',
  description:
    'Launch one EC2 instance from an AMI and wait until it is running. Idempotent: repeating the same call (or the same client_token) returns the same instance.',
  input: launchInput,
  risk: 'write',
  idempotent: true,
  iam: [
    'ec2:RunInstances',
    'ec2:CreateTags',
    'ec2:DescribeInstances',
    'ec2:DescribeImages',
    'ec2:DescribeKeyPairs',
    'ec2:DescribeSubnets',
    'ec2:DescribeSecurityGroups',
    'ec2:TerminateInstances',
    'iam:PassRole',
  ],
  preview: async (args, context) => {
    const region = regionOf(args, context);
    const token = args.client_token ?? deriveClientToken(args, region);
    const { alive: existing, gone } = await instancesForToken(context, region, token);
    if (existing)
      return {
        summary: `${existing.instance_id} was already launched with client token ${token}: nothing to do`,
        method: 'describe-diff',
        changes: [
          { kind: 'no-op', resource: `ec2:instance ${existing.instance_id}`, detail: existing.state },
        ],
        warnings: [],
      };
    const { RunInstancesCommand } = await ec2Sdk();
    const client = context.aws.ec2(region);
    const dryRun = await probeDryRun('RunInstances', () =>
      client.send(new RunInstancesCommand({ ...runInstancesInput(args, token), DryRun: true }), {
        abortSignal: context.signal,
      }),
    );
    const warnings = [...dryRun.warnings, ...(gone ? [tokenSpent(token, gone).message] : [])];
    for (const { what, check } of await referenceChecks(args, region, context)) {
      try {
        await check();
      } catch (error) {
        if (!(error instanceof CopilotError) && !isAwsServiceError(error)) throw error;
        const code = error instanceof CopilotError ? error.awsCode : (error.Code ?? error.name);
        warnings.push(`${what}: ${code ?? 'error'}: ${error.message}`);
      }
    }
    return {
      summary: `launch one ${args.instance_type} instance from ${args.ami_id} in ${region} (${dryRun.note}; references checked with describe calls)`,
      method: dryRun.method,
      changes: [
        {
          kind: 'create',
          resource: 'ec2:instance',
          detail: `${args.instance_type} from ${args.ami_id}${args.subnet_id ? ` in ${args.subnet_id}` : ''}, client token ${token}`,
        },
      ],
      warnings,
    };
  },
  run: async (args, context): Promise<LaunchResult> => {
    const region = regionOf(args, context);
    const token = args.client_token ?? deriveClientToken(args, region);
    const { alive: existing, gone } = await instancesForToken(context, region, token);
    if (existing) return reuse(args, region, token, existing, context);
    if (gone) throw tokenSpent(token, gone);
    for (const { what, check } of await referenceChecks(args, region, context)) await callAws(what, check);
    const { RunInstancesCommand } = await ec2Sdk();

    const reservation = await callAws('RunInstances', () =>
      context.aws
        .ec2(region)
        .send(new RunInstancesCommand(runInstancesInput(args, token)), { abortSignal: context.signal }),
    );
    const instanceId = reservation.Instances?.[0]?.InstanceId;
    if (!instanceId) throw new CopilotError('aws_error', 'RunInstances answered without an instance id');
    context.created({ type: 'ec2:instance', id: instanceId, region, detail: { client_token: token } });
    context.progress(`launched ${instanceId}`);

    await waitForState(context, region, [instanceId], 'running');
    const instance = (await instancesById(context, region, [instanceId])).get(instanceId);
    if (!instance) throw new CopilotError('not_found', `${instanceId} disappeared right after launch`);
    return toResult(instance, token, 'created');
  },
  compensate: async ({ args, result, created }, context) => {
    const region = regionOf(args, context);
    const ids = new Set(created.filter((resource) => resource.type === 'ec2:instance').map((r) => r.id));
    if (result?.operation === 'created') ids.add(result.instance_id);
    if (ids.size === 0) return 'nothing to undo: this call launched no instance';
    const known = await instancesById(context, region, [...ids]);
    const live = [...ids].filter((id) => {
      const state = known.get(id)?.state;
      return state !== undefined && state !== 'terminated';
    });
    if (live.length === 0) return `nothing to undo: ${[...ids].join(', ')} already terminated`;
    const { TerminateInstancesCommand } = await ec2Sdk();
    await callAws('TerminateInstances', () =>
      context.aws
        .ec2(region)
        .send(new TerminateInstancesCommand({ InstanceIds: live }), { abortSignal: context.signal }),
    );
    await waitForState(context, region, live, 'terminated');
    return `terminated ${live.join(', ')}`;
  },
  resourceIds: (_args, result) => (result ? [result.instance_id] : []),
});
