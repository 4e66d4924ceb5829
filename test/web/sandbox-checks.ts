/** What the browser tests ask the sandbox directly, through the AWS SDK: did the UI's deployment really happen? */
import { DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import { GetFunctionCommand } from '@aws-sdk/client-lambda';
import { HeadBucketCommand } from '@aws-sdk/client-s3';
import type { ToolHarness } from '../helpers/tool-harness.js';

/** An image the emulator knows, as a person would look one up. */
export async function sandboxImage(tools: ToolHarness): Promise<string> {
  const answer = await tools.run<{ images: Array<{ image_id: string }> }>('describe_images', {
    owners: ['amazon'],
    max_results: 1,
  });
  const image = answer.status === 'ok' ? answer.result.images[0]?.image_id : undefined;
  if (!image) throw new Error('no AMI in the sandbox');
  return image;
}

/** Pending or running instances named `appName` (deploy_ec2_repo tags Name with the app). */
export async function liveInstances(tools: ToolHarness, appName: string): Promise<string[]> {
  const answer = await tools.aws.ec2().send(
    new DescribeInstancesCommand({
      Filters: [
        { Name: 'tag:Name', Values: [appName] },
        { Name: 'instance-state-name', Values: ['pending', 'running'] },
      ],
    }),
  );
  return (answer.Reservations ?? []).flatMap((reservation) =>
    (reservation.Instances ?? []).map((instance) => instance.InstanceId ?? ''),
  );
}

export async function bucketExists(tools: ToolHarness, bucket: string): Promise<boolean> {
  return tools.aws
    .s3()
    .send(new HeadBucketCommand({ Bucket: bucket }))
    .then(
      () => true,
      () => false,
    );
}

/** The function's state, or undefined when it does not exist. */
export async function functionState(tools: ToolHarness, name: string): Promise<string | undefined> {
  return tools.aws
    .lambda()
    .send(new GetFunctionCommand({ FunctionName: name }))
    .then(
      (answer) => answer.Configuration?.State ?? 'unknown',
      () => undefined,
    );
}
