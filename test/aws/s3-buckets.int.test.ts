import { randomUUID } from 'node:crypto';
import {
  GetBucketEncryptionCommand,
  GetBucketLocationCommand,
  GetBucketOwnershipControlsCommand,
  GetPublicAccessBlockCommand,
  HeadBucketCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { afterAll, describe, expect, it } from 'vitest';
import { type FaultProxy, startFaultProxy, throttlingResponse } from '../helpers/fault-proxy.js';
import { createToolHarness, sandboxEndpoint } from '../helpers/tool-harness.js';

const bucketName = (label: string) => `s3b-${label}-${randomUUID().slice(0, 8)}`;

describe('create_bucket against the sandbox', () => {
  const harness = createToolHarness();
  const s3 = harness.aws.s3('us-east-1');
  afterAll(() => harness.close());

  async function bucketExists(bucket: string): Promise<boolean> {
    try {
      await s3.send(new HeadBucketCommand({ Bucket: bucket }));
      return true;
    } catch (error) {
      if ((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404)
        return false;
      throw error;
    }
  }

  it('creates a private, encrypted bucket in us-east-1 and records it', async () => {
    const bucket = bucketName('use1');
    const envelope = await harness.approveAndRun('create_bucket', { bucket_name: bucket });
    expect(envelope).toMatchObject({
      status: 'ok',
      result: { bucket_name: bucket, region: 'us-east-1', operation: 'created' },
      created: [{ type: 's3:bucket', id: bucket, region: 'us-east-1' }],
    });
    const location = await s3.send(new GetBucketLocationCommand({ Bucket: bucket }));
    expect(location.LocationConstraint ?? '').toBe('');
    const block = await s3.send(new GetPublicAccessBlockCommand({ Bucket: bucket }));
    expect(block.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      IgnorePublicAcls: true,
      BlockPublicPolicy: true,
      RestrictPublicBuckets: true,
    });
    const encryption = await s3.send(new GetBucketEncryptionCommand({ Bucket: bucket }));
    expect(
      encryption.ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault
        ?.SSEAlgorithm,
    ).toBe('AES256');
    const ownership = await s3.send(new GetBucketOwnershipControlsCommand({ Bucket: bucket }));
    expect(ownership.OwnershipControls?.Rules?.[0]?.ObjectOwnership).toBe('BucketOwnerEnforced');
  });

  it('creates in eu-west-1 with a LocationConstraint', async () => {
    const bucket = bucketName('euw1');
    const envelope = await harness.approveAndRun('create_bucket', {
      bucket_name: bucket,
      region: 'eu-west-1',
    });
    expect(envelope).toMatchObject({ status: 'ok', result: { region: 'eu-west-1', operation: 'created' } });
    const location = await harness.aws.s3('eu-west-1').send(new GetBucketLocationCommand({ Bucket: bucket }));
    expect(location.LocationConstraint).toBe('eu-west-1');
  });

  it('reports an owned bucket as exists, records nothing, and its compensation leaves it alone', async () => {
    const bucket = bucketName('twice');
    const first = await harness.approveAndRun('create_bucket', { bucket_name: bucket, region: 'eu-west-1' });
    expect(first.status).toBe('ok');
    const preview = await harness.preview('create_bucket', { bucket_name: bucket, region: 'eu-west-1' });
    expect(preview).toMatchObject({ status: 'ok', preview: { changes: [{ kind: 'no-op' }], warnings: [] } });
    const second = await harness.approveAndRun('create_bucket', { bucket_name: bucket, region: 'eu-west-1' });
    expect(second).toMatchObject({
      status: 'ok',
      result: { bucket_name: bucket, region: 'eu-west-1', operation: 'exists' },
      created: [],
    });
    const undo = await harness.compensate(second, { bucket_name: bucket, region: 'eu-west-1' });
    expect(undo).toMatchObject({ status: 'ok', result: expect.stringMatching(/nothing to undo/) });
    expect(await bucketExists(bucket)).toBe(true);
  });

  it('previews a create without creating anything', async () => {
    const bucket = bucketName('preview');
    const preview = await harness.preview('create_bucket', { bucket_name: bucket });
    expect(preview).toMatchObject({
      status: 'ok',
      preview: { method: 'describe-diff', changes: [{ kind: 'create', resource: `s3://${bucket}` }] },
    });
    expect(await bucketExists(bucket)).toBe(false);
  });

  it('compensates by emptying (every version) and deleting the bucket it created', async () => {
    const bucket = bucketName('undo');
    const envelope = await harness.approveAndRun('create_bucket', { bucket_name: bucket });
    expect(envelope.status).toBe('ok');
    await s3.send(
      new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }),
    );
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'a.txt', Body: 'one' }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'a.txt', Body: 'two' }));
    const undo = await harness.compensate(envelope, { bucket_name: bucket });
    expect(undo).toMatchObject({ status: 'ok', result: expect.stringMatching(/deleted bucket/) });
    expect(await bucketExists(bucket)).toBe(false);
  });

  it('rejects capitals in the bucket name, naming the field and the rules', async () => {
    const envelope = await harness.approveAndRun('create_bucket', { bucket_name: 'My-Bucket' });
    expect(envelope).toMatchObject({
      status: 'error',
      error: { code: 'invalid_input', field: 'bucket_name' },
    });
    if (envelope.status === 'error') expect(envelope.error.message).toMatch(/3-63 characters of lowercase/);
    for (const bad of ['ab', '192.168.1.10', 'xn--abc', 'name-s3alias', '-start', 'a..b']) {
      const result = await harness.run('create_bucket', { bucket_name: bad });
      expect(result).toMatchObject({
        status: 'error',
        error: { code: 'invalid_input', field: 'bucket_name' },
      });
    }
  });

  it('refuses to run without approval and creates nothing', async () => {
    const bucket = bucketName('noapproval');
    const envelope = await harness.run('create_bucket', { bucket_name: bucket });
    expect(envelope).toMatchObject({ status: 'error', error: { code: 'approval_required' } });
    expect(await bucketExists(bucket)).toBe(false);
  });
});

describe('create_bucket through the fault proxy', () => {
  let proxy: FaultProxy;
  let harness: ReturnType<typeof createToolHarness>;

  afterAll(async () => {
    harness?.close();
    await proxy?.close();
  });

  it('retries a throttled CreateBucket', async () => {
    proxy = await startFaultProxy(sandboxEndpoint());
    harness = createToolHarness({ endpointUrl: proxy.endpointUrl });
    const bucket = bucketName('throttle');
    proxy.addRule({
      match: (request) => request.method === 'PUT' && request.path === `/${bucket}/`,
      times: 2,
      response: throttlingResponse('s3'),
    });
    const envelope = await harness.approveAndRun('create_bucket', { bucket_name: bucket });
    expect(envelope).toMatchObject({ status: 'ok', result: { operation: 'created' } });
    expect(proxy.faulted).toBe(2);
  });

  it('explains a name owned by another account and keeps the AWS code', async () => {
    const bucket = bucketName('foreign');
    proxy.addRule({
      match: (request) => request.method === 'HEAD' && request.path === `/${bucket}/`,
      times: 2,
      response: { status: 403, body: '' },
    });
    proxy.addRule({
      match: (request) => request.method === 'PUT' && request.path === `/${bucket}/`,
      times: 1,
      response: {
        status: 409,
        headers: { 'content-type': 'application/xml' },
        body: '<Error><Code>BucketAlreadyExists</Code><Message>The requested bucket name is not available.</Message><RequestId>fault-proxy</RequestId></Error>',
      },
    });
    const preview = await harness.preview('create_bucket', { bucket_name: bucket });
    expect(preview).toMatchObject({
      status: 'ok',
      preview: { warnings: [expect.stringMatching(/another AWS account/)] },
    });
    const envelope = await harness.approveAndRun('create_bucket', { bucket_name: bucket });
    expect(envelope).toMatchObject({
      status: 'error',
      error: { code: 'conflict', aws_code: 'BucketAlreadyExists' },
      created: [],
    });
    if (envelope.status === 'error') expect(envelope.error.message).toMatch(/another AWS account/);
  });
});
