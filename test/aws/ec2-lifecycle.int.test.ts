import { ModifyInstanceAttributeCommand } from '@aws-sdk/client-ec2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ToolPreview } from '../../src/tools/define-tool.js';
import { actionOf, throttlingResponse } from '../helpers/fault-proxy.js';
import { createToolHarness, withProxiedHarness } from '../helpers/tool-harness.js';
import { uniqueName } from '../helpers/unique-name.js';
import { findAmi, runInstance, stateOf } from './ec2-fixtures.js';

const MISSING = 'i-0000000000000dead';

describe('stop_ec2 against the sandbox', () => {
  const harness = createToolHarness();
  let ami = '';
  beforeAll(async () => {
    ami = await findAmi(harness);
  });
  afterAll(() => harness.close());

  it('previews with DryRun: running -> stopped, and an already stopped instance is a no-op', async () => {
    const running = await runInstance(harness, ami, uniqueName('web'));
    const stopped = await runInstance(harness, ami, uniqueName('old'));
    await harness.approveAndRun('stop_ec2', { instance_ids: [stopped] });

    const envelope = await harness.preview('stop_ec2', { instance_ids: [running, stopped] });
    expect(envelope.status).toBe('ok');
    const preview = envelope.status === 'ok' ? (envelope.result as ToolPreview) : undefined;
    expect(preview?.method).toBe('aws-dry-run');
    expect(preview?.summary).toMatch(/stop 1 of 2 instance\(s\).*DryRun: StopInstances would succeed/);
    expect(preview?.changes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'update', detail: 'running -> stopped' }),
        expect.objectContaining({ kind: 'no-op', detail: 'already stopped' }),
      ]),
    );
    expect(await stateOf(harness, running)).toBe('running');
  });

  it('warns in the preview about an instance that does not exist', async () => {
    const envelope = await harness.preview('stop_ec2', { instance_ids: [MISSING] });
    const preview = envelope.status === 'ok' ? (envelope.result as ToolPreview) : undefined;
    expect(preview?.warnings).toEqual([expect.stringMatching(/i-0000000000000dead does not exist/)]);
  });

  it('stops, then compensation starts again only what was running', async () => {
    const running = await runInstance(harness, ami, uniqueName('api'));
    const alreadyStopped = await runInstance(harness, ami, uniqueName('spare'));
    await harness.approveAndRun('stop_ec2', { instance_ids: [alreadyStopped] });

    const args = { instance_ids: [running, alreadyStopped] };
    const envelope = await harness.approveAndRun('stop_ec2', args);
    expect(envelope).toMatchObject({
      status: 'ok',
      result: {
        instances: expect.arrayContaining([
          { instance_id: running, previous_state: 'running', state: 'stopped' },
          { instance_id: alreadyStopped, previous_state: 'stopped', state: 'stopped' },
        ]),
      },
    });
    expect(await stateOf(harness, running)).toBe('stopped');

    const undo = await harness.compensate(envelope, args);
    expect(undo).toMatchObject({ status: 'ok', result: `started ${running} again` });
    expect(await stateOf(harness, running)).toBe('running');
    expect(await stateOf(harness, alreadyStopped)).toBe('stopped');
  });

  it('keeps the AWS error code of an instance that does not exist', async () => {
    const envelope = await harness.approveAndRun('stop_ec2', { instance_ids: [MISSING] });
    expect(envelope).toMatchObject({
      status: 'error',
      error: { code: 'not_found', aws_code: 'InvalidInstanceID.NotFound' },
    });
  });

  it.each([
    ['instance_ids.0', { instance_ids: ['i-xyz'] }],
    ['instance_ids', { instance_ids: [] }],
    ['region', { instance_ids: [MISSING], region: 'moon-1' }],
  ])('rejects bad input naming %s', async (field, args) => {
    const envelope = await harness.approveAndRun('stop_ec2', args);
    expect(envelope).toMatchObject({ status: 'error', error: { code: 'invalid_input', field } });
  });

  it('refuses to stop without approval and leaves the instance running', async () => {
    const running = await runInstance(harness, ami, uniqueName('keep'));
    const envelope = await harness.run('stop_ec2', { instance_ids: [running] });
    expect(envelope).toMatchObject({ status: 'error', error: { code: 'approval_required' } });
    expect(await stateOf(harness, running)).toBe('running');
  });
});

describe('terminate_ec2 against the sandbox', () => {
  const harness = createToolHarness();
  let ami = '';
  beforeAll(async () => {
    ami = await findAmi(harness);
  });
  afterAll(() => harness.close());

  it('previews what it will terminate by Name, warning about protection and missing instances', async () => {
    const name = uniqueName('doomed');
    const doomed = await runInstance(harness, ami, name);
    const guarded = await runInstance(harness, ami, uniqueName('guarded'));
    await harness.aws
      .ec2()
      .send(
        new ModifyInstanceAttributeCommand({ InstanceId: guarded, DisableApiTermination: { Value: true } }),
      );

    const envelope = await harness.preview('terminate_ec2', { instance_ids: [doomed, guarded, MISSING] });
    const preview = envelope.status === 'ok' ? (envelope.result as ToolPreview) : undefined;
    expect(preview?.method).toBe('aws-dry-run');
    expect(preview?.summary).toContain(`${doomed} (${name})`);
    expect(preview?.changes).toEqual(
      expect.arrayContaining([
        { kind: 'delete', resource: `ec2:instance ${doomed} (${name})`, detail: 'running -> terminated' },
      ]),
    );
    expect(preview?.warnings).toEqual(
      expect.arrayContaining([
        expect.stringMatching(new RegExp(`${MISSING} does not exist`)),
        expect.stringMatching(new RegExp(`${guarded} .*termination protection`)),
      ]),
    );
    expect(await stateOf(harness, doomed)).toBe('running');

    const refused = await harness.approveAndRun('terminate_ec2', { instance_ids: [guarded] });
    expect(refused).toMatchObject({ status: 'error', error: { aws_code: 'OperationNotPermitted' } });
  });

  it('terminates and waits until terminated; compensation reports that it cannot be undone', async () => {
    const doomed = await runInstance(harness, ami, uniqueName('gone'));
    const args = { instance_ids: [doomed] };
    const envelope = await harness.approveAndRun('terminate_ec2', args);
    expect(envelope).toMatchObject({
      status: 'ok',
      result: { instances: [{ instance_id: doomed, previous_state: 'running', state: 'terminated' }] },
    });
    expect(await stateOf(harness, doomed)).toBe('terminated');
    expect(harness.runner.registry.require('terminate_ec2').irreversible).toBe(true);

    const undo = await harness.compensate(envelope, args);
    expect(undo).toMatchObject({ status: 'error', error: { code: 'conflict' } });
  });

  it('keeps the AWS error code of an instance that does not exist', async () => {
    const envelope = await harness.approveAndRun('terminate_ec2', { instance_ids: [MISSING] });
    expect(envelope).toMatchObject({ status: 'error', error: { aws_code: 'InvalidInstanceID.NotFound' } });
  });

  it('refuses to terminate without approval and leaves the instance running', async () => {
    const kept = await runInstance(harness, ami, uniqueName('kept'));
    const envelope = await harness.run('terminate_ec2', { instance_ids: [kept] });
    expect(envelope).toMatchObject({ status: 'error', error: { code: 'approval_required' } });
    expect(await stateOf(harness, kept)).toBe('running');
  });

  it('rejects a malformed instance id naming the field', async () => {
    const envelope = await harness.approveAndRun('terminate_ec2', { instance_ids: ['i-12'] });
    expect(envelope).toMatchObject({
      status: 'error',
      error: { code: 'invalid_input', field: 'instance_ids.0' },
    });
  });
});

describe('stop_ec2 through a throttling proxy', () => {
  it('retries throttled DescribeInstances calls of the waiter and still stops the instance', async () => {
    await withProxiedHarness(async (harness, proxy) => {
      const instance = await runInstance(harness, await findAmi(harness), uniqueName('slow'));
      proxy.addRule({
        match: (request) => actionOf(request) === 'DescribeInstances',
        times: 2,
        response: throttlingResponse('ec2'),
      });
      const envelope = await harness.approveAndRun('stop_ec2', { instance_ids: [instance] });
      expect(envelope).toMatchObject({ status: 'ok', result: { instances: [{ state: 'stopped' }] } });
      expect(proxy.faulted).toBe(2);
    });
  });
});
