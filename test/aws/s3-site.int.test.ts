import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CreateBucketCommand,
  GetBucketPolicyCommand,
  GetBucketWebsiteCommand,
  GetPublicAccessBlockCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  PutPublicAccessBlockCommand,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FaultProxy, startFaultProxy, throttlingResponse } from '../helpers/fault-proxy.js';
import { createToolHarness, sandboxEndpoint, type ToolHarness } from '../helpers/tool-harness.js';

const bucketName = (label: string) => `s3s-${label}-${randomUUID().slice(0, 8)}`;
const FULL_BLOCK = {
  BlockPublicAcls: true,
  IgnorePublicAcls: true,
  BlockPublicPolicy: true,
  RestrictPublicBuckets: true,
};

describe('publish_static_site against the sandbox', () => {
  const harness = createToolHarness();
  const s3 = harness.aws.s3('us-east-1');
  const workspace = harness.settings.workspace;
  afterAll(() => harness.close());

  beforeAll(() => {
    const dist = join(workspace, 'frontend', 'dist');
    mkdirSync(join(dist, 'assets'), { recursive: true });
    writeFileSync(
      join(dist, 'index.html'),
      '<!doctype html><title>shop</title><script src="assets/app.js"></script>',
    );
    writeFileSync(join(dist, 'style.css'), 'body { color: red }');
    writeFileSync(join(dist, 'assets', 'app.js'), 'console.log("app")');
    writeFileSync(join(dist, 'assets', 'index-BK8eGxfe.js'), 'console.log("hashed")');
    writeFileSync(join(dist, '.env'), 'SECRET=never-published');
    mkdirSync(join(workspace, 'empty-dist'));
    writeFileSync(join(workspace, 'empty-dist', 'about.html'), '<p>no index</p>');
  });

  async function status(call: Promise<unknown>): Promise<number | string> {
    return call.then(
      () => 200,
      (error: { name?: string; $metadata?: { httpStatusCode?: number } }) =>
        error.name === 'NotFound' ? 404 : (error.name ?? 'error'),
    );
  }

  it('previews the files and says the bucket becomes public, changing nothing', async () => {
    const bucket = bucketName('preview');
    const envelope = await harness.preview('publish_static_site', {
      bucket_name: bucket,
      source_dir: 'frontend/dist',
    });
    expect(envelope.status).toBe('ok');
    if (envelope.status !== 'ok') return;
    expect(envelope.preview?.warnings[0]).toMatch(/PUBLICLY READABLE/);
    const resources = envelope.preview?.changes.map((change) => change.resource) ?? [];
    expect(resources).toEqual(
      expect.arrayContaining([
        `s3://${bucket}`,
        `s3://${bucket}/index.html`,
        `s3://${bucket}/style.css`,
        `s3://${bucket}/assets/app.js`,
      ]),
    );
    expect(resources).not.toContain(`s3://${bucket}/.env`);
    expect(envelope.preview?.summary).toMatch(/publish 4 files/);
    expect(await status(s3.send(new HeadBucketCommand({ Bucket: bucket })))).toBe(404);
    const unbuilt = await harness.preview('publish_static_site', {
      bucket_name: bucket,
      source_dir: 'web/dist',
    });
    expect(unbuilt).toMatchObject({
      status: 'ok',
      preview: { warnings: expect.arrayContaining([expect.stringMatching(/is not a folder/)]) },
    });
  });

  it('publishes a new bucket as a public website with the right types and caching, then rolls it all back', async () => {
    const bucket = bucketName('site');
    const args = { bucket_name: bucket, source_dir: 'frontend/dist', cache_control: 'public, max-age=300' };
    const envelope = await harness.approveAndRun('publish_static_site', args);
    expect(envelope).toMatchObject({
      status: 'ok',
      result: {
        bucket_name: bucket,
        website_url: `${sandboxEndpoint()}/${bucket}/index.html`,
        files: 4,
        bytes: expect.any(Number),
      },
    });
    const expectations: Array<[string, string, string | null]> = [
      ['index.html', 'text/html; charset=utf-8', 'no-cache'],
      ['style.css', 'text/css; charset=utf-8', 'public, max-age=300'],
      ['assets/app.js', 'text/javascript; charset=utf-8', 'public, max-age=300'],
      ['assets/index-BK8eGxfe.js', 'text/javascript; charset=utf-8', 'public, max-age=31536000, immutable'],
    ];
    for (const [key, type, cache] of expectations) {
      const response = await fetch(`${sandboxEndpoint()}/${bucket}/${key}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe(type);
      expect(response.headers.get('cache-control')).toBe(cache);
    }
    expect(await (await fetch(`${sandboxEndpoint()}/${bucket}/index.html`)).text()).toMatch(/<title>shop/);
    expect((await fetch(`${sandboxEndpoint()}/${bucket}/.env`)).status).toBe(404);

    const policy = await s3.send(new GetBucketPolicyCommand({ Bucket: bucket }));
    expect(JSON.parse(policy.Policy ?? '{}')).toMatchObject({
      Statement: [
        { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${bucket}/*` },
      ],
    });
    const website = await s3.send(new GetBucketWebsiteCommand({ Bucket: bucket }));
    expect(website.IndexDocument?.Suffix).toBe('index.html');
    expect(await status(s3.send(new GetPublicAccessBlockCommand({ Bucket: bucket })))).toBe(
      'NoSuchPublicAccessBlockConfiguration',
    );

    const undo = await harness.compensate(envelope, args);
    expect(undo).toMatchObject({ status: 'ok', result: expect.stringMatching(/deleted bucket/) });
    expect(await status(s3.send(new HeadBucketCommand({ Bucket: bucket })))).toBe(404);
  });

  it('in an existing bucket, rollback removes the objects, policy and website and restores the block', async () => {
    const bucket = bucketName('existing');
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await s3.send(
      new PutPublicAccessBlockCommand({ Bucket: bucket, PublicAccessBlockConfiguration: FULL_BLOCK }),
    );
    const args = { bucket_name: bucket, source_dir: 'frontend/dist', error_document: 'index.html' };
    const envelope = await harness.approveAndRun('publish_static_site', args);
    expect(envelope.status).toBe('ok');
    expect(envelope.created.map((resource) => resource.type)).not.toContain('s3:bucket');
    const website = await s3.send(new GetBucketWebsiteCommand({ Bucket: bucket }));
    expect(website.ErrorDocument?.Key).toBe('index.html');

    const undo = await harness.compensate(envelope, args);
    expect(undo.status).toBe('ok');
    expect(await status(s3.send(new HeadBucketCommand({ Bucket: bucket })))).toBe(200);
    expect(await status(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'index.html' })))).toBe(404);
    expect(await status(s3.send(new GetBucketPolicyCommand({ Bucket: bucket })))).toBe('NoSuchBucketPolicy');
    expect(await status(s3.send(new GetBucketWebsiteCommand({ Bucket: bucket })))).toBe(
      'NoSuchWebsiteConfiguration',
    );
    const block = await s3.send(new GetPublicAccessBlockCommand({ Bucket: bucket }));
    expect(block.PublicAccessBlockConfiguration).toEqual(FULL_BLOCK);
  });

  it('refuses a folder without the index document, or outside the workspace', async () => {
    const bucket = bucketName('noindex');
    const envelope = await harness.approveAndRun('publish_static_site', {
      bucket_name: bucket,
      source_dir: 'empty-dist',
    });
    expect(envelope).toMatchObject({
      status: 'error',
      error: { code: 'invalid_input', field: 'source_dir' },
    });
    if (envelope.status === 'error') expect(envelope.error.message).toMatch(/has no index\.html/);
    const outside = await harness.approveAndRun('publish_static_site', {
      bucket_name: bucket,
      source_dir: '../',
    });
    expect(outside).toMatchObject({
      status: 'error',
      error: { code: 'workspace_violation', field: 'source_dir' },
    });
    expect(await status(s3.send(new HeadBucketCommand({ Bucket: bucket })))).toBe(404);
  });

  it('refuses to publish without approval', async () => {
    const bucket = bucketName('noapproval');
    const envelope = await harness.run('publish_static_site', {
      bucket_name: bucket,
      source_dir: 'frontend/dist',
    });
    expect(envelope).toMatchObject({ status: 'error', error: { code: 'approval_required' } });
    expect(await status(s3.send(new HeadBucketCommand({ Bucket: bucket })))).toBe(404);
  });
});

describe('publish_static_site through the fault proxy', () => {
  let proxy: FaultProxy;
  let harness: ToolHarness;

  beforeAll(async () => {
    proxy = await startFaultProxy(sandboxEndpoint());
    harness = createToolHarness({ endpointUrl: proxy.endpointUrl });
    const dist = join(harness.settings.workspace, 'dist');
    mkdirSync(dist);
    writeFileSync(join(dist, 'index.html'), '<p>hi</p>');
    writeFileSync(join(dist, 'site.webmanifest'), '{}');
  });
  afterAll(async () => {
    harness.close();
    await proxy.close();
  });

  it('retries a throttled PutBucketPolicy', async () => {
    const bucket = bucketName('throttle');
    proxy.addRule({
      match: (request) => request.method === 'PUT' && request.path.startsWith(`/${bucket}/?policy`),
      times: 2,
      response: throttlingResponse('s3'),
    });
    const envelope = await harness.approveAndRun('publish_static_site', {
      bucket_name: bucket,
      source_dir: 'dist',
    });
    expect(envelope).toMatchObject({ status: 'ok', result: { files: 2 } });
    expect(proxy.faulted).toBe(2);
  });

  it('a failure half-way keeps the AWS code and what was already done can be rolled back', async () => {
    const bucket = bucketName('halfway');
    proxy.addRule({
      match: (request) => request.method === 'PUT' && request.path.startsWith(`/${bucket}/?website`),
      times: 1,
      response: {
        status: 400,
        headers: { 'content-type': 'application/xml' },
        body: '<Error><Code>MalformedXML</Code><Message>The XML you provided was not well-formed.</Message><RequestId>fault-proxy</RequestId></Error>',
      },
    });
    const args = { bucket_name: bucket, source_dir: 'dist' };
    const envelope = await harness.approveAndRun('publish_static_site', args);
    expect(envelope).toMatchObject({
      status: 'error',
      error: { code: 'aws_error', aws_code: 'MalformedXML' },
    });
    expect(envelope.created.map((resource) => resource.type)).toEqual([
      's3:bucket',
      's3:object',
      's3:object',
      's3:public-access-block',
      's3:bucket-policy',
      's3:bucket-website',
    ]);
    const undo = await harness.compensate(envelope, args);
    expect(undo).toMatchObject({ status: 'ok', result: expect.stringMatching(/deleted bucket/) });
    const gone = await harness.aws
      .s3()
      .send(new HeadBucketCommand({ Bucket: bucket }))
      .then(
        () => false,
        (error: { name?: string }) => error.name === 'NotFound',
      );
    expect(gone).toBe(true);
  });

  it('validates the index document name', async () => {
    const envelope = await harness.approveAndRun('publish_static_site', {
      bucket_name: bucketName('badindex'),
      source_dir: 'dist',
      index_document: 'pages/index.html',
    });
    expect(envelope).toMatchObject({
      status: 'error',
      error: { code: 'invalid_input', field: 'index_document' },
    });
  });
});
