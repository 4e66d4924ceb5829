/** One catalog action by chat: reads run at once; writes are asked, previewed and approved first. */
import { CreateKeyPairCommand, DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AgentHarness, createAgentHarness } from '../helpers/agent-harness.js';
import { uniqueName } from '../helpers/unique-name.js';

describe('single actions by chat', () => {
  let harness: AgentHarness;
  let ami: string;
  let keyName: string;
  beforeAll(async () => {
    harness = await createAgentHarness();
    const images = await harness.tools.run<{ images: Array<{ image_id: string }> }>('describe_images', {
      owners: ['amazon'],
      max_results: 1,
    });
    ami = images.status === 'ok' ? (images.result.images[0]?.image_id ?? '') : '';
    keyName = uniqueName('dev-key');
    await harness.tools.aws.ec2().send(new CreateKeyPairCommand({ KeyName: keyName }));
  });
  afterAll(() => harness.close());

  it('answers a read request with the tool result and no approval', async () => {
    const turn = await harness.send('who am I on AWS? show the account of my credentials');
    expect(turn).toMatchObject({ workflow: 'tool', status: 'done' });
    expect(harness.last('message-end').text).toMatch(/get_caller_identity finished[\s\S]*123456789012/);
  });

  it('asks for a missing argument, previews the launch, and launches only after approval', async () => {
    const turn = await harness.send(`launch a t3.micro instance in us-east-1 with key ${keyName}`);
    expect(turn.status).toBe('waiting');
    const form = harness.last('form-request');
    expect(form.fields.map((field) => field.name)).toEqual(['ami_id']);
    const proposed = await harness.answer(turn.sessionId, {
      kind: 'form',
      form_id: form.form_id,
      values: { ami_id: ami },
    });
    expect(proposed.status).toBe('waiting');
    const approval = harness.last('approval-request');
    expect(approval.steps).toEqual([expect.objectContaining({ tool: 'launch_ec2', risk: 'write' })]);
    expect(approval.steps[0]?.args).toMatchObject({
      instance_type: 't3.micro',
      key_name: keyName,
      ami_id: ami,
      region: 'us-east-1',
    });
    const running = async () => {
      const answer = await harness.tools.aws.ec2().send(
        new DescribeInstancesCommand({
          Filters: [
            { Name: 'key-name', Values: [keyName] },
            { Name: 'instance-state-name', Values: ['pending', 'running'] },
          ],
        }),
      );
      return (answer.Reservations ?? []).flatMap((reservation) => reservation.Instances ?? []).length;
    };
    expect(await running()).toBe(0);
    const done = await harness.answer(turn.sessionId, {
      kind: 'approval',
      plan_hash: approval.plan_hash,
      decision: 'approve',
    });
    expect(done.status).toBe('done');
    expect(harness.last('message-end').text).toMatch(/launch_ec2 finished[\s\S]*"state": "running"/);
    expect(await running()).toBe(1);
  });

  it('changes nothing when the person declines', async () => {
    const turn = await harness.send(
      `launch a t3.micro instance in us-east-1 with key ${keyName} from image ${ami} tagged Name=declined`,
    );
    const approval = harness.last('approval-request');
    expect(turn.status).toBe('waiting');
    await harness.answer(turn.sessionId, {
      kind: 'approval',
      plan_hash: approval.plan_hash,
      decision: 'reject',
    });
    expect(harness.last('message-end').text).toMatch(/nothing was changed/);
    const answer = await harness.tools.aws
      .ec2()
      .send(new DescribeInstancesCommand({ Filters: [{ Name: 'tag:Name', Values: ['declined'] }] }));
    expect(answer.Reservations ?? []).toEqual([]);
  });
});
