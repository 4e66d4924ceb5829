/** Shared setup of the EC2 integration tests: an AMI, a key pair, instances found by a per-test tag. */
import {
  CreateKeyPairCommand,
  DescribeInstancesCommand,
  type Instance,
  RunInstancesCommand,
} from '@aws-sdk/client-ec2';
import type { ToolHarness } from '../helpers/tool-harness.js';
import { uniqueName } from '../helpers/unique-name.js';

/** An x86_64 AMI from the emulator's Amazon catalog, found through describe_images itself. */
export async function findAmi(harness: ToolHarness): Promise<string> {
  const envelope = await harness.run<{ images: Array<{ image_id: string }> }>('describe_images', {
    owners: ['amazon'],
    architecture: 'x86_64',
    max_results: 1,
  });
  if (envelope.status !== 'ok') throw new Error(`describe_images failed: ${envelope.error.message}`);
  const image = envelope.result.images[0];
  if (!image) throw new Error('the emulator lists no Amazon x86_64 AMI');
  return image.image_id;
}

export async function createKeyPair(harness: ToolHarness): Promise<string> {
  const name = uniqueName('ec2-test-key');
  await harness.aws.ec2().send(new CreateKeyPairCommand({ KeyName: name }));
  return name;
}

/** Every instance (any state) carrying `test-id = testId`, straight from the SDK. */
export async function instancesTagged(harness: ToolHarness, testId: string): Promise<Instance[]> {
  const answer = await harness.aws
    .ec2()
    .send(new DescribeInstancesCommand({ Filters: [{ Name: 'tag:test-id', Values: [testId] }] }));
  return (answer.Reservations ?? []).flatMap((reservation) => reservation.Instances ?? []);
}

export async function stateOf(harness: ToolHarness, instanceId: string): Promise<string | undefined> {
  const answer = await harness.aws.ec2().send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }));
  return answer.Reservations?.[0]?.Instances?.[0]?.State?.Name;
}

/** Starts an instance directly through the SDK, for tests of the tools that act on existing ones. */
export async function runInstance(harness: ToolHarness, ami: string, name: string): Promise<string> {
  const answer = await harness.aws.ec2().send(
    new RunInstancesCommand({
      ImageId: ami,
      InstanceType: 't3.micro',
      MinCount: 1,
      MaxCount: 1,
      TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'Name', Value: name }] }],
    }),
  );
  const id = answer.Instances?.[0]?.InstanceId;
  if (!id) throw new Error('RunInstances returned no instance');
  return id;
}
