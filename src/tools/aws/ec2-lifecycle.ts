/** stop_ec2 and terminate_ec2: state changes of existing instances, previewed with DryRun and their current states. */
import type { InstanceStateChange } from '@aws-sdk/client-ec2';
import { z } from 'zod';
import { defineTool, type PreviewChange, type ToolContext } from '../define-tool.js';
import { callAws } from './aws-error.js';
import {
  GONE_STATES,
  type InstanceSummary,
  instanceIdsSchema,
  instancesById,
  label,
  probeDryRun,
  waitForState,
} from './ec2-shared.js';
import { regionOf, regionSchema } from './regions.js';
import { ec2Sdk } from './sdk.js';

const instancesInput = z.strictObject({
  instance_ids: instanceIdsSchema,
  region: regionSchema.optional(),
});

type InstancesArgs = z.infer<typeof instancesInput>;

/** What happened to each instance: the state before the call and the state it ended in. */
export interface StateChangeResult {
  instances: Array<{ instance_id: string; previous_state: string; state: string }>;
}

async function changeResult(
  context: ToolContext,
  region: string,
  changes: InstanceStateChange[],
): Promise<StateChangeResult> {
  const ids = changes.map((change) => change.InstanceId ?? '');
  const now = await instancesById(context, region, ids);
  return {
    instances: changes.map((change) => ({
      instance_id: change.InstanceId ?? '',
      previous_state: change.PreviousState?.Name ?? 'unknown',
      state: now.get(change.InstanceId ?? '')?.state ?? change.CurrentState?.Name ?? 'unknown',
    })),
  };
}

/** Current states of the named instances, with a warning for each id that does not exist. */
async function currentInstances(context: ToolContext, args: InstancesArgs, region: string) {
  const found = await instancesById(context, region, args.instance_ids);
  const warnings = args.instance_ids
    .filter((id) => !found.has(id))
    .map((id) => `${id} does not exist in ${region}; the call will fail with InvalidInstanceID.NotFound`);
  return { found, warnings };
}

function stopChange(instance: InstanceSummary, warnings: string[]): PreviewChange {
  const resource = `ec2:instance ${label(instance)}`;
  if (instance.state === 'stopped' || instance.state === 'stopping')
    return { kind: 'no-op', resource, detail: `already ${instance.state}` };
  if (GONE_STATES.has(instance.state)) {
    warnings.push(`${instance.instance_id} is ${instance.state} and cannot be stopped`);
    return { kind: 'no-op', resource, detail: instance.state };
  }
  return { kind: 'update', resource, detail: `${instance.state} -> stopped` };
}

export const stopEc2 = defineTool({
  name: 'stop_ec2',
  description:
    'Stop running EC2 instances and wait until they are stopped; instances already stopped are left as they are.',
  input: instancesInput,
  risk: 'write',
  idempotent: true,
  iam: ['ec2:StopInstances', 'ec2:DescribeInstances', 'ec2:StartInstances'],
  preview: async (args, context) => {
    const region = regionOf(args, context);
    const { found, warnings } = await currentInstances(context, args, region);
    const changes = [...found.values()].map((instance) => stopChange(instance, warnings));
    const { StopInstancesCommand } = await ec2Sdk();
    const dryRun = await probeDryRun('StopInstances', () =>
      context.aws
        .ec2(region)
        .send(new StopInstancesCommand({ InstanceIds: args.instance_ids, DryRun: true }), {
          abortSignal: context.signal,
        }),
    );
    const stopping = changes.filter((change) => change.kind === 'update').length;
    return {
      summary: `stop ${stopping} of ${args.instance_ids.length} instance(s) in ${region} (${dryRun.note})`,
      method: dryRun.method,
      changes,
      warnings: [...warnings, ...dryRun.warnings],
    };
  },
  run: async (args, context): Promise<StateChangeResult> => {
    const region = regionOf(args, context);
    const { StopInstancesCommand } = await ec2Sdk();
    const answer = await callAws('StopInstances', () =>
      context.aws
        .ec2(region)
        .send(new StopInstancesCommand({ InstanceIds: args.instance_ids }), { abortSignal: context.signal }),
    );
    await waitForState(context, region, args.instance_ids, 'stopped');
    return changeResult(context, region, answer.StoppingInstances ?? []);
  },
  compensate: async ({ args, result }, context) => {
    const region = regionOf(args, context);
    // Without a result the call stopped part-way: the states before it are unknown, so start
    // every named instance that is now stopped rather than leave a service down.
    const candidates = result
      ? result.instances
          .filter(
            (instance) => instance.previous_state === 'running' || instance.previous_state === 'pending',
          )
          .map((instance) => instance.instance_id)
      : args.instance_ids;
    const now = await instancesById(context, region, candidates);
    const toStart = candidates.filter((id) => {
      const state = now.get(id)?.state;
      return state === 'stopped' || state === 'stopping';
    });
    if (toStart.length === 0) return 'nothing to undo: no instance stopped by this call is still stopped';
    // An instance still stopping cannot be started yet.
    await waitForState(context, region, toStart, 'stopped');
    const { StartInstancesCommand } = await ec2Sdk();
    await callAws('StartInstances', () =>
      context.aws
        .ec2(region)
        .send(new StartInstancesCommand({ InstanceIds: toStart }), { abortSignal: context.signal }),
    );
    await waitForState(context, region, toStart, 'running');
    return `started ${toStart.join(', ')} again${result ? '' : ' (states before the failed call were unknown)'}`;
  },
  resourceIds: (args) => args.instance_ids,
  targets: (args) => args.instance_ids.map((id) => ({ kind: 'ec2', id, region: args.region })),
});

/** Termination protection makes TerminateInstances fail with OperationNotPermitted. */
async function protectedFromTermination(context: ToolContext, region: string, id: string): Promise<boolean> {
  const { DescribeInstanceAttributeCommand } = await ec2Sdk();
  const answer = await callAws('DescribeInstanceAttribute', () =>
    context.aws
      .ec2(region)
      .send(new DescribeInstanceAttributeCommand({ InstanceId: id, Attribute: 'disableApiTermination' }), {
        abortSignal: context.signal,
      }),
  );
  return answer.DisableApiTermination?.Value === true;
}

export const terminateEc2 = defineTool({
  name: 'terminate_ec2',
  description:
    'Terminate EC2 instances and wait until they are gone. Irreversible: their instance-store data and, by default, their root volumes are deleted.',
  input: instancesInput,
  risk: 'destructive',
  irreversible: true,
  idempotent: true,
  iam: ['ec2:TerminateInstances', 'ec2:DescribeInstances', 'ec2:DescribeInstanceAttribute'],
  preview: async (args, context) => {
    const region = regionOf(args, context);
    const { found, warnings } = await currentInstances(context, args, region);
    const changes: PreviewChange[] = [];
    for (const instance of found.values()) {
      const resource = `ec2:instance ${label(instance)}`;
      if (GONE_STATES.has(instance.state)) {
        changes.push({ kind: 'no-op', resource, detail: `already ${instance.state}` });
        continue;
      }
      changes.push({ kind: 'delete', resource, detail: `${instance.state} -> terminated` });
      if (await protectedFromTermination(context, region, instance.instance_id))
        warnings.push(
          `${label(instance)} has termination protection (disableApiTermination); the call will fail with OperationNotPermitted`,
        );
    }
    const { TerminateInstancesCommand } = await ec2Sdk();
    const dryRun = await probeDryRun('TerminateInstances', () =>
      context.aws
        .ec2(region)
        .send(new TerminateInstancesCommand({ InstanceIds: args.instance_ids, DryRun: true }), {
          abortSignal: context.signal,
        }),
    );
    const deleting = changes.filter((change) => change.kind === 'delete');
    return {
      summary: `terminate ${deleting.length} instance(s) in ${region}, irreversibly: ${deleting.map((change) => change.resource.replace('ec2:instance ', '')).join(', ') || 'none'} (${dryRun.note})`,
      method: dryRun.method,
      changes,
      warnings: [...warnings, ...dryRun.warnings],
    };
  },
  run: async (args, context): Promise<StateChangeResult> => {
    const region = regionOf(args, context);
    const { TerminateInstancesCommand } = await ec2Sdk();
    const answer = await callAws('TerminateInstances', () =>
      context.aws.ec2(region).send(new TerminateInstancesCommand({ InstanceIds: args.instance_ids }), {
        abortSignal: context.signal,
      }),
    );
    await waitForState(context, region, args.instance_ids, 'terminated');
    return changeResult(context, region, answer.TerminatingInstances ?? []);
  },
  resourceIds: (args) => args.instance_ids,
  targets: (args) => args.instance_ids.map((id) => ({ kind: 'ec2', id, region: args.region })),
});
