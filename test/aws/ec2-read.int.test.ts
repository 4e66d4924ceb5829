import { CreateTagsCommand, StopInstancesCommand } from '@aws-sdk/client-ec2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actionOf, throttlingResponse } from '../helpers/fault-proxy.js';
import { createToolHarness, withProxiedHarness } from '../helpers/tool-harness.js';
import { uniqueName } from '../helpers/unique-name.js';
import { findAmi, runInstance } from './ec2-fixtures.js';

interface ListResult {
  instances: Array<{ instance_id: string; state: string; name?: string; tags: Record<string, string> }>;
  count: number;
  truncated: boolean;
}

interface ImagesResult {
  images: Array<{ image_id: string; name: string; architecture: string; creation_date: string }>;
  count: number;
}

describe('list_ec2_instances against the sandbox', () => {
  const harness = createToolHarness();
  const testId = uniqueName('fleet');
  const ids: string[] = [];
  beforeAll(async () => {
    const ami = await findAmi(harness);
    for (const index of [1, 2, 3]) ids.push(await runInstance(harness, ami, `${testId}-${index}`));
    await harness.aws
      .ec2()
      .send(new CreateTagsCommand({ Resources: ids, Tags: [{ Key: 'fleet', Value: testId }] }));
    await harness.aws.ec2().send(new StopInstancesCommand({ InstanceIds: [ids[2] as string] }));
  });
  afterAll(() => harness.close());

  it('lists instances by tag in compact form', async () => {
    const envelope = await harness.run<ListResult>('list_ec2_instances', { tag_filters: { fleet: testId } });
    expect(envelope).toMatchObject({ status: 'ok', result: { count: 3, truncated: false } });
    if (envelope.status !== 'ok') return;
    const first = envelope.result.instances.find((instance) => instance.instance_id === ids[0]);
    expect(first).toMatchObject({
      instance_type: 't3.micro',
      state: 'running',
      name: `${testId}-1`,
      tags: { fleet: testId, Name: `${testId}-1` },
      ami_id: expect.stringMatching(/^ami-/),
      launch_time: expect.any(String),
      private_ip: expect.any(String),
    });
  });

  it('filters by state and stops at max_results', async () => {
    const stopped = await harness.run<ListResult>('list_ec2_instances', {
      tag_filters: { fleet: testId },
      states: ['stopped'],
    });
    expect(stopped).toMatchObject({
      status: 'ok',
      result: { count: 1, instances: [{ instance_id: ids[2] }] },
    });
    const capped = await harness.run<ListResult>('list_ec2_instances', {
      tag_filters: { fleet: testId },
      max_results: 2,
    });
    expect(capped).toMatchObject({ status: 'ok', result: { count: 2, truncated: true } });
  });

  it('rejects an unknown state naming the field', async () => {
    const envelope = await harness.run('list_ec2_instances', { states: ['sleeping'] });
    expect(envelope).toMatchObject({ status: 'error', error: { code: 'invalid_input', field: 'states.0' } });
  });

  it('retries throttled DescribeInstances calls', async () => {
    await withProxiedHarness(async (proxied, proxy) => {
      proxy.addRule({
        match: (request) => actionOf(request) === 'DescribeInstances',
        times: 3,
        response: throttlingResponse('ec2'),
      });
      const envelope = await proxied.run<ListResult>('list_ec2_instances', {
        tag_filters: { fleet: testId },
      });
      expect(envelope).toMatchObject({ status: 'ok', result: { count: 3 } });
      expect(proxy.faulted).toBe(3);
    });
  });
});

describe('describe_images against the sandbox', () => {
  const harness = createToolHarness();
  afterAll(() => harness.close());

  it('finds images by owner and architecture, newest first', async () => {
    const envelope = await harness.run<ImagesResult>('describe_images', {
      owners: ['amazon'],
      architecture: 'arm64',
      max_results: 20,
    });
    expect(envelope.status).toBe('ok');
    if (envelope.status !== 'ok') return;
    expect(envelope.result.count).toBeGreaterThan(0);
    expect(envelope.result.images.every((image) => image.architecture === 'arm64')).toBe(true);
    const dates = envelope.result.images.map((image) => image.creation_date);
    expect(dates).toEqual([...dates].sort().reverse());
  });

  it('matches a name pattern and describes exact ids', async () => {
    const all = await harness.run<ImagesResult>('describe_images', { owners: ['amazon'], max_results: 1 });
    const image = all.status === 'ok' ? all.result.images[0] : undefined;
    expect(image).toBeDefined();
    if (!image) return;
    const byName = await harness.run<ImagesResult>('describe_images', {
      name_pattern: `${image.name.slice(0, 8)}*`,
    });
    expect(byName.status === 'ok' && byName.result.images.map((found) => found.image_id)).toContain(
      image.image_id,
    );
    const byId = await harness.run<ImagesResult>('describe_images', { image_ids: [image.image_id] });
    expect(byId).toMatchObject({
      status: 'ok',
      result: { count: 1, images: [{ image_id: image.image_id }] },
    });
  });

  it('keeps the AWS error code of an image id that does not exist', async () => {
    const envelope = await harness.run('describe_images', { image_ids: ['ami-0000000000000dead'] });
    expect(envelope).toMatchObject({
      status: 'error',
      error: { code: 'not_found', aws_code: 'InvalidAMIID.NotFound' },
    });
  });

  it('rejects a bad owner naming the field', async () => {
    const envelope = await harness.run('describe_images', { owners: ['someone'] });
    expect(envelope).toMatchObject({ status: 'error', error: { code: 'invalid_input', field: 'owners.0' } });
  });
});
