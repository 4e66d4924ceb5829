/** What the EC2 tools share: id schemas, compact instance summaries, DryRun probing and state waiters. */
import type { Filter, Instance } from '@aws-sdk/client-ec2';
import { z } from 'zod';
import { CopilotError } from '../../errors/copilot-error.js';
import type { ToolContext, ToolPreview } from '../define-tool.js';
import { callAws, hasAwsCode, isAwsServiceError } from './aws-error.js';
import { ec2Sdk } from './sdk.js';

/** An EC2 resource id: `prefix-` then 8 (older resources) or 17 lowercase hex digits. */
export function ec2IdSchema(prefix: string, what: string, example: string) {
  return z.string().regex(new RegExp(`^${prefix}-(?:[0-9a-f]{8}|[0-9a-f]{17})$`), {
    error: `${what} must be '${prefix}-' followed by 8 or 17 lowercase hex digits, e.g. ${example}`,
  });
}

export const instanceIdSchema = ec2IdSchema('i', 'an instance id', 'i-0abc1234def567890');

export const instanceIdsSchema = z
  .array(instanceIdSchema)
  .min(1, { error: 'give at least one instance id' })
  .max(50, { error: 'at most 50 instance ids per call' })
  .refine((ids) => new Set(ids).size === ids.length, { error: 'instance_ids must not repeat an id' })
  .describe('Instance ids, e.g. ["i-0abc1234def567890"] (1 to 50)');

/** Compact, snake_case view of an instance for results and previews. */
export interface InstanceSummary {
  instance_id: string;
  instance_type: string;
  state: string;
  ami_id: string;
  launch_time?: string;
  name?: string;
  tags: Record<string, string>;
  private_ip?: string;
  public_ip?: string;
  public_dns?: string;
}

export function summarizeInstance(instance: Instance): InstanceSummary {
  const tags: Record<string, string> = {};
  for (const tag of instance.Tags ?? []) if (tag.Key !== undefined) tags[tag.Key] = tag.Value ?? '';
  return {
    instance_id: instance.InstanceId ?? '',
    instance_type: instance.InstanceType ?? '',
    state: instance.State?.Name ?? 'unknown',
    ami_id: instance.ImageId ?? '',
    ...(instance.LaunchTime ? { launch_time: instance.LaunchTime.toISOString() } : {}),
    ...(tags.Name !== undefined ? { name: tags.Name } : {}),
    tags,
    ...(instance.PrivateIpAddress ? { private_ip: instance.PrivateIpAddress } : {}),
    ...(instance.PublicIpAddress ? { public_ip: instance.PublicIpAddress } : {}),
    ...(instance.PublicDnsName ? { public_dns: instance.PublicDnsName } : {}),
  };
}

/** `i-123 (web)`: an instance as a person recognises it. */
export function label(instance: InstanceSummary): string {
  return instance.name ? `${instance.instance_id} (${instance.name})` : instance.instance_id;
}

/** Every instance matching the filters, all pages; `limit` stops early. */
export async function findInstances(
  context: ToolContext,
  region: string,
  filters: Filter[],
  limit = Number.POSITIVE_INFINITY,
): Promise<{ instances: InstanceSummary[]; truncated: boolean }> {
  const { DescribeInstancesCommand } = await ec2Sdk();
  const client = context.aws.ec2(region);
  const instances: InstanceSummary[] = [];
  let nextToken: string | undefined;
  do {
    const remaining = limit - instances.length;
    // AWS accepts page sizes of 5 to 1000.
    const pageSize = Number.isFinite(remaining) ? Math.min(1000, Math.max(5, remaining)) : 1000;
    const page = await callAws('DescribeInstances', () =>
      client.send(
        new DescribeInstancesCommand({ Filters: filters, MaxResults: pageSize, NextToken: nextToken }),
        { abortSignal: context.signal },
      ),
    );
    for (const reservation of page.Reservations ?? [])
      for (const instance of reservation.Instances ?? []) instances.push(summarizeInstance(instance));
    nextToken = page.NextToken;
  } while (nextToken && instances.length < limit);
  return {
    instances: instances.slice(0, limit),
    truncated: instances.length > limit || (nextToken !== undefined && instances.length >= limit),
  };
}

/**
 * Instances by id, keyed by id. Filters on `instance-id` rather than `InstanceIds` so a missing
 * id is simply absent (previews warn about it) instead of failing the whole request.
 */
export async function instancesById(
  context: ToolContext,
  region: string,
  ids: string[],
): Promise<Map<string, InstanceSummary>> {
  const { instances } = await findInstances(context, region, [{ Name: 'instance-id', Values: ids }]);
  return new Map(instances.map((instance) => [instance.instance_id, instance]));
}

export const GONE_STATES = new Set(['shutting-down', 'terminated']);

export interface DryRunOutcome {
  /** `aws-dry-run` when AWS judged the request; `describe-diff` when the endpoint could not. */
  method: ToolPreview['method'];
  /** One line for the preview summary. */
  note: string;
  warnings: string[];
}

/**
 * Sends `call` (which must set `DryRun: true`) and reads AWS's verdict: `DryRunOperation` means the
 * real call would pass the permission and parameter checks; any other client error is what the real
 * call would hit. A server-side failure means the endpoint cannot judge, so the caller's describe
 * checks are all the preview has.
 */
export async function probeDryRun(what: string, call: () => Promise<unknown>): Promise<DryRunOutcome> {
  try {
    await call();
    return {
      method: 'describe-diff',
      note: `DryRun of ${what} was ignored by the endpoint`,
      warnings: [`the endpoint ignored DryRun for ${what} and performed it`],
    };
  } catch (error) {
    if (hasAwsCode(error, 'DryRunOperation'))
      return { method: 'aws-dry-run', note: `DryRun: ${what} would succeed`, warnings: [] };
    if (!isAwsServiceError(error)) throw error;
    const code = error.Code ?? error.name;
    const status = error.$metadata?.httpStatusCode ?? 500;
    if (error.$fault === 'server' || status >= 500)
      return { method: 'describe-diff', note: `DryRun of ${what} unavailable (${code})`, warnings: [] };
    return {
      method: 'aws-dry-run',
      note: `DryRun: ${what} would fail`,
      warnings: [`DryRun of ${what} answered ${code}: ${error.message}`],
    };
  }
}

/** The SDK's waiter for each target state. */
const WAITERS = {
  running: 'waitUntilInstanceRunning',
  stopped: 'waitUntilInstanceStopped',
  terminated: 'waitUntilInstanceTerminated',
} as const;

/** Longest wait for a state change; well inside the runner's default 10-minute tool timeout. */
const MAX_WAIT_SECONDS = 300;

/** Waits until every instance reaches `target`; a stuck or impossible transition names the states seen. */
export async function waitForState(
  context: ToolContext,
  region: string,
  ids: string[],
  target: keyof typeof WAITERS,
): Promise<void> {
  const waitUntil = (await ec2Sdk())[WAITERS[target]];
  context.progress(`waiting for ${ids.join(', ')} to be ${target}`);
  try {
    await waitUntil(
      {
        client: context.aws.ec2(region),
        maxWaitTime: MAX_WAIT_SECONDS,
        minDelay: 5,
        maxDelay: 30,
        abortSignal: context.signal,
      },
      { InstanceIds: ids },
    );
  } catch (error) {
    if (context.signal.aborted) throw context.signal.reason;
    const now = await instancesById(context, region, ids).catch(() => new Map<string, InstanceSummary>());
    const states = ids.map((id) => `${id}: ${now.get(id)?.state ?? 'unknown'}`).join(', ');
    if ((error as Error).name === 'TimeoutError')
      throw new CopilotError(
        'timeout',
        `instances did not become ${target} within ${MAX_WAIT_SECONDS} s (${states}); check them with list_ec2_instances`,
        { retryable: true, cause: error },
      );
    throw new CopilotError('aws_error', `instances cannot become ${target} (${states})`, { cause: error });
  }
  context.progress(`${ids.join(', ')} ${ids.length === 1 ? 'is' : 'are'} ${target}`);
}
