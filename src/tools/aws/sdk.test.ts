import { afterAll, describe, expect, it } from 'vitest';
import { createAwsClientFactory } from './clients.js';
import { ec2Sdk, ecsSdk, lambdaSdk, logsSdk, s3Sdk, stsSdk } from './sdk.js';

// clients.ts requires the SDK packages while the tools import() them: both must reach one module
// instance, or the tools' commands would go to clients of another copy and instanceof checks on
// the SDK's errors (thrown by the client's copy) would quietly fail.
describe('lazily loaded AWS SDK', () => {
  const aws = createAwsClientFactory({
    settings: { region: 'us-east-1', awsRequestsPerSecond: 2, awsMaxAttempts: 1 },
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  });
  afterAll(() => aws.destroy());

  it('builds clients of the very classes the tools import', async () => {
    expect(aws.ec2()).toBeInstanceOf((await ec2Sdk()).EC2Client);
    expect(aws.ecs()).toBeInstanceOf((await ecsSdk()).ECSClient);
    expect(aws.lambda()).toBeInstanceOf((await lambdaSdk()).LambdaClient);
    expect(aws.logs()).toBeInstanceOf((await logsSdk()).CloudWatchLogsClient);
    expect(aws.s3()).toBeInstanceOf((await s3Sdk()).S3Client);
    expect(aws.sts()).toBeInstanceOf((await stsSdk()).STSClient);
  });
});
