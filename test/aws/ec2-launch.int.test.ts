import { DescribeInstanceAttributeCommand } from '@aws-sdk/client-ec2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ToolPreview } from '../../src/tools/define-tool.js';
import { actionOf, throttlingResponse } from '../helpers/fault-proxy.js';
import { createToolHarness, withProxiedHarness } from '../helpers/tool-harness.js';
import { uniqueName } from '../helpers/unique-name.js';
import { createKeyPair, findAmi, instancesTagged, stateOf } from './ec2-fixtures.js';

interface LaunchResult {
  instance_id: string;
  state: string;
  instance_type: string;
  ami_id: string;
  private_ip?: string;
  client_token: string;
  operation: 'created' | 'exists';
}

describe('launch_ec2 against the sandbox', () => {
  const harness = createToolHarness();
  let ami = '';
  let keyName = '';

  beforeAll(async () => {
    ami = await findAmi(harness);
    keyName = await createKeyPair(harness);
  });
  afterAll(() => harness.close());

  const argsFor = (testId: string, extra: Record<string, unknown> = {}) => ({
    instance_type: 't3.micro',
    ami_id: ami,
    tags: { Name: testId, 'test-id': testId },
    ...extra,
  });

  it('launches a running instance with the key pair, tags and user data, and records it', async () => {
    const testId = uniqueName('launch');
    const envelope = await harness.approveAndRun<LaunchResult>(
      'launch_ec2',
      argsFor(testId, { key_name: keyName, user_data: '#!/bin/sh\necho hello\n' }),
    );
    expect(envelope).toMatchObject({
      status: 'ok',
      result: { state: 'running', instance_type: 't3.micro', ami_id: ami, operation: 'created' },
    });
    if (envelope.status !== 'ok') return;
    const id = envelope.result.instance_id;
    expect(id).toMatch(/^i-[0-9a-f]{17}$/);
    expect(envelope.result.client_token).toMatch(/^aws-copilot-[0-9a-f]{40}$/);
    expect(envelope.result.private_ip).toBeTruthy();
    expect(envelope.created).toEqual([
      expect.objectContaining({ type: 'ec2:instance', id, region: 'us-east-1' }),
    ]);

    const [instance] = await instancesTagged(harness, testId);
    expect(instance?.KeyName).toBe(keyName);
    expect(instance?.Tags).toEqual(
      expect.arrayContaining([{ Key: 'aws-copilot:client-token', Value: envelope.result.client_token }]),
    );
    const userData = await harness.aws
      .ec2()
      .send(new DescribeInstanceAttributeCommand({ InstanceId: id, Attribute: 'userData' }));
    expect(Buffer.from(userData.UserData?.Value ?? '', 'base64').toString('utf8')).toBe(
      '#!/bin/sh\necho hello\n',
    );
  });

  it('is idempotent: the same call twice gives the same instance and launches only one', async () => {
    const testId = uniqueName('idem');
    const first = await harness.approveAndRun<LaunchResult>('launch_ec2', argsFor(testId));
    const second = await harness.approveAndRun<LaunchResult>('launch_ec2', argsFor(testId));
    expect(first.status).toBe('ok');
    expect(second).toMatchObject({ status: 'ok', created: [], result: { operation: 'exists' } });
    if (first.status !== 'ok' || second.status !== 'ok') return;
    expect(second.result.instance_id).toBe(first.result.instance_id);
    expect(second.result.client_token).toBe(first.result.client_token);
    expect(await instancesTagged(harness, testId)).toHaveLength(1);
  });

  it('reuses an explicit client_token and refuses it with different arguments', async () => {
    const testId = uniqueName('token');
    const clientToken = uniqueName('my-token');
    const first = await harness.approveAndRun<LaunchResult>(
      'launch_ec2',
      argsFor(testId, { client_token: clientToken }),
    );
    expect(first).toMatchObject({ status: 'ok', result: { client_token: clientToken } });
    const mismatch = await harness.approveAndRun(
      'launch_ec2',
      argsFor(testId, { client_token: clientToken, instance_type: 't3.small' }),
    );
    expect(mismatch).toMatchObject({
      status: 'error',
      error: { code: 'conflict', aws_code: 'IdempotentParameterMismatch' },
    });
    expect(await instancesTagged(harness, testId)).toHaveLength(1);
  });

  it('previews with DryRun, checks the references and creates nothing', async () => {
    const testId = uniqueName('preview');
    const envelope = await harness.preview('launch_ec2', argsFor(testId, { key_name: keyName }));
    expect(envelope.status).toBe('ok');
    const preview = envelope.status === 'ok' ? (envelope.result as ToolPreview) : undefined;
    expect(preview).toMatchObject({
      method: 'aws-dry-run',
      changes: [{ kind: 'create', resource: 'ec2:instance' }],
      warnings: [],
    });
    expect(preview?.summary).toMatch(/DryRun: RunInstances would succeed/);
    expect(await instancesTagged(harness, testId)).toHaveLength(0);
  });

  it('warns in the preview about an AMI and a key pair that do not exist', async () => {
    const testId = uniqueName('preview-missing');
    const envelope = await harness.preview(
      'launch_ec2',
      argsFor(testId, { ami_id: 'ami-0000000000000dead', key_name: 'no-such-key' }),
    );
    const preview = envelope.status === 'ok' ? (envelope.result as ToolPreview) : undefined;
    expect(preview?.warnings).toEqual([
      expect.stringMatching(/^AMI ami-0000000000000dead: InvalidAMIID\.NotFound/),
      expect.stringMatching(/^key pair no-such-key: InvalidKeyPair\.NotFound/),
    ]);
    expect(await instancesTagged(harness, testId)).toHaveLength(0);
  });

  it('previews a repeated launch as a no-op', async () => {
    const testId = uniqueName('preview-again');
    const launched = await harness.approveAndRun<LaunchResult>('launch_ec2', argsFor(testId));
    const envelope = await harness.preview('launch_ec2', argsFor(testId));
    expect(envelope).toMatchObject({
      status: 'ok',
      result: { method: 'describe-diff', changes: [{ kind: 'no-op' }] },
    });
    if (launched.status === 'ok' && envelope.status === 'ok')
      expect((envelope.result as ToolPreview).summary).toContain(launched.result.instance_id);
  });

  it('compensates by terminating the instance it launched', async () => {
    const testId = uniqueName('undo');
    const args = argsFor(testId);
    const envelope = await harness.approveAndRun<LaunchResult>('launch_ec2', args);
    expect(envelope.status).toBe('ok');
    if (envelope.status !== 'ok') return;
    const undo = await harness.compensate(envelope, args);
    expect(undo).toMatchObject({ status: 'ok', result: `terminated ${envelope.result.instance_id}` });
    expect(await stateOf(harness, envelope.result.instance_id)).toBe('terminated');

    const again = await harness.compensate(envelope, args);
    expect(again).toMatchObject({ status: 'ok', result: expect.stringMatching(/already terminated/) });
    const relaunch = await harness.approveAndRun('launch_ec2', args);
    expect(relaunch).toMatchObject({ status: 'error', error: { code: 'conflict' } });
  });

  it.each([
    ['instance_type', { instance_type: 'banana' }, /t3\.micro/],
    ['ami_id', { ami_id: 'ami-xyz' }, /8 or 17 lowercase hex digits/],
    ['region', { region: 'mars-north-1' }, /unknown AWS region/],
    ['subnet_id', { subnet_id: 'sub-123' }, /subnet-/],
    ['user_data', { user_data: 'x'.repeat(16 * 1024 + 1) }, /16 KB/],
  ])('rejects a bad %s naming the field', async (field, extra, message) => {
    const envelope = await harness.approveAndRun('launch_ec2', argsFor(uniqueName('bad'), extra));
    expect(envelope).toMatchObject({ status: 'error', error: { code: 'invalid_input', field } });
    if (envelope.status === 'error') expect(envelope.error.message).toMatch(message);
  });

  it('rejects more than 49 tags and the reserved client-token tag', async () => {
    const tags = Object.fromEntries(Array.from({ length: 50 }, (_, index) => [`k${index}`, 'v']));
    const tooMany = await harness.run('launch_ec2', { instance_type: 't3.micro', ami_id: ami, tags });
    expect(tooMany).toMatchObject({ status: 'error', error: { code: 'invalid_input', field: 'tags' } });
    const reserved = await harness.run('launch_ec2', {
      instance_type: 't3.micro',
      ami_id: ami,
      tags: { 'aws-copilot:client-token': 'x' },
    });
    expect(reserved).toMatchObject({ status: 'error', error: { code: 'invalid_input' } });
  });

  it('keeps the AWS error code of an AMI that does not exist and launches nothing', async () => {
    const testId = uniqueName('no-ami');
    const envelope = await harness.approveAndRun(
      'launch_ec2',
      argsFor(testId, { ami_id: 'ami-0000000000000dead' }),
    );
    expect(envelope).toMatchObject({
      status: 'error',
      created: [],
      error: { code: 'not_found', aws_code: 'InvalidAMIID.NotFound' },
    });
    expect(await instancesTagged(harness, testId)).toHaveLength(0);
  });

  it('keeps the AWS error code of a key pair that does not exist', async () => {
    const envelope = await harness.approveAndRun(
      'launch_ec2',
      argsFor(uniqueName('no-key'), { key_name: 'no-such-key' }),
    );
    expect(envelope).toMatchObject({ status: 'error', error: { aws_code: 'InvalidKeyPair.NotFound' } });
  });

  it('refuses to launch without approval and launches nothing', async () => {
    const testId = uniqueName('unapproved');
    const envelope = await harness.run('launch_ec2', argsFor(testId));
    expect(envelope).toMatchObject({ status: 'error', error: { code: 'approval_required' } });
    expect(await instancesTagged(harness, testId)).toHaveLength(0);
  });
});

describe('launch_ec2 through a throttling proxy', () => {
  it('retries a throttled RunInstances and launches exactly one instance', async () => {
    await withProxiedHarness(async (harness, proxy) => {
      const ami = await findAmi(harness);
      const testId = uniqueName('throttled');
      proxy.addRule({
        match: (request) => actionOf(request) === 'RunInstances',
        times: 2,
        response: throttlingResponse('ec2'),
      });
      const envelope = await harness.approveAndRun<LaunchResult>('launch_ec2', {
        instance_type: 't3.micro',
        ami_id: ami,
        tags: { 'test-id': testId },
      });
      expect(envelope).toMatchObject({ status: 'ok', result: { state: 'running' } });
      expect(proxy.faulted).toBe(2);
      expect(proxy.requests.filter((request) => actionOf(request) === 'RunInstances')).toHaveLength(3);
      expect(await instancesTagged(harness, testId)).toHaveLength(1);
    });
  });
});
