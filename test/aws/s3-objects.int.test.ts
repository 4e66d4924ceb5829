import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateBucketCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FaultProxy, startFaultProxy, throttlingResponse } from '../helpers/fault-proxy.js';
import { createToolHarness, sandboxEndpoint, type ToolHarness } from '../helpers/tool-harness.js';

const bucketName = (label: string) => `s3o-${label}-${randomUUID().slice(0, 8)}`;

describe('S3 object tools against the sandbox', () => {
  const harness = createToolHarness();
  const s3 = harness.aws.s3('us-east-1');
  const workspace = harness.settings.workspace;
  const bucket = bucketName('objects');
  afterAll(() => harness.close());

  beforeAll(async () => {
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    mkdirSync(join(workspace, 'site'), { recursive: true });
    writeFileSync(join(workspace, 'site', 'index.html'), '<h1>hello</h1>');
    writeFileSync(join(workspace, 'site', 'app.mjs'), 'export const x = 1;');
    writeFileSync(join(workspace, 'site', 'logo.svg'), '<svg/>');
    writeFileSync(join(workspace, 'notes.unknownext'), 'data');
  });

  async function head(key: string, target = bucket) {
    return s3.send(new HeadObjectCommand({ Bucket: target, Key: key }));
  }

  async function objectExists(key: string, target = bucket): Promise<boolean> {
    return head(key, target).then(
      () => true,
      (error: { $metadata?: { httpStatusCode?: number } }) => {
        if (error.$metadata?.httpStatusCode === 404) return false;
        throw error;
      },
    );
  }

  it('uploads a small file with the content type guessed from its extension', async () => {
    const envelope = await harness.approveAndRun('upload_s3', {
      bucket_name: bucket,
      file_path: 'site/index.html',
      object_name: 'index.html',
    });
    expect(envelope).toMatchObject({
      status: 'ok',
      result: { bucket_name: bucket, object_name: 'index.html', size: 14, multipart: false },
      created: [{ type: 's3:object', id: `s3://${bucket}/index.html` }],
    });
    if (envelope.status === 'ok')
      expect((envelope.result as { etag: string }).etag).toMatch(/^[0-9a-f]{32}$/);
    expect((await head('index.html')).ContentType).toBe('text/html; charset=utf-8');
  });

  it('guesses content types (and keeps an explicit one); the object name defaults to the file name', async () => {
    for (const [file, type] of [
      ['site/app.mjs', 'text/javascript; charset=utf-8'],
      ['site/logo.svg', 'image/svg+xml'],
      ['notes.unknownext', 'application/octet-stream'],
    ] as const) {
      const envelope = await harness.approveAndRun('upload_s3', { bucket_name: bucket, file_path: file });
      expect(envelope.status).toBe('ok');
      const key = file.split('/').pop() as string;
      expect((await head(key)).ContentType).toBe(type);
    }
    const explicit = await harness.approveAndRun('upload_s3', {
      bucket_name: bucket,
      file_path: 'notes.unknownext',
      object_name: 'notes.csv',
      content_type: 'text/csv',
    });
    expect(explicit.status).toBe('ok');
    expect((await head('notes.csv')).ContentType).toBe('text/csv');
  });

  it('uploads a file above 8 MiB in parts, reporting progress, and the preview predicts its ETag', async () => {
    const big = randomBytes(9 * 1024 * 1024 + 123);
    writeFileSync(join(workspace, 'big.bin'), big);
    const args = { bucket_name: bucket, file_path: 'big.bin', object_name: 'big/big.bin' };
    const preview = await harness.preview('upload_s3', args);
    expect(preview).toMatchObject({
      status: 'ok',
      preview: { changes: [{ kind: 'create', detail: expect.stringMatching(/multipart, 2 parts/) }] },
    });
    const progress: string[] = [];
    const approval = harness.approvals.grant({
      grantedBy: 'test-person',
      channel: 'cli-prompt',
      calls: [{ tool: 'upload_s3', args }],
    });
    const envelope = await harness.runner.call({
      tool: 'upload_s3',
      args,
      approval,
      onProgress: (message) => progress.push(message),
    });
    expect(envelope).toMatchObject({ status: 'ok', result: { multipart: true, size: big.length } });
    expect(progress.at(-1)).toMatch(/9\.0 MiB of 9\.0 MiB uploaded/);
    expect((await head('big/big.bin')).ContentLength).toBe(big.length);
    // Same file again: the preview's predicted ETag equals the stored one.
    const again = await harness.preview('upload_s3', args);
    expect(again).toMatchObject({
      preview: { changes: [{ kind: 'update', detail: expect.stringMatching(/identical content/) }] },
    });
  });

  it('previews an overwrite with size and etag, warning that an unversioned overwrite is final', async () => {
    writeFileSync(join(workspace, 'site', 'index.html'), '<h1>hello again</h1>');
    const preview = await harness.preview('upload_s3', {
      bucket_name: bucket,
      file_path: 'site/index.html',
      object_name: 'index.html',
    });
    expect(preview).toMatchObject({
      status: 'ok',
      preview: {
        method: 'describe-diff',
        changes: [
          {
            kind: 'update',
            detail: expect.stringMatching(/size 14 -> 20 bytes, etag [0-9a-f]{32} -> [0-9a-f]{32}/),
          },
        ],
        warnings: [expect.stringMatching(/versioning is off/)],
      },
    });
  });

  it('compensates a new object by deleting it, and says when an overwrite cannot be undone', async () => {
    writeFileSync(join(workspace, 'fresh.txt'), 'fresh');
    const args = { bucket_name: bucket, file_path: 'fresh.txt' };
    const first = await harness.approveAndRun('upload_s3', args);
    expect(first.status).toBe('ok');
    const second = await harness.approveAndRun('upload_s3', args);
    const undoOverwrite = await harness.compensate(second, args);
    expect(undoOverwrite).toMatchObject({ status: 'ok', result: expect.stringMatching(/cannot restore/) });
    expect(await objectExists('fresh.txt')).toBe(true);
    const undo = await harness.compensate(first, args);
    expect(undo).toMatchObject({ status: 'ok', result: `deleted s3://${bucket}/fresh.txt` });
    expect(await objectExists('fresh.txt')).toBe(false);
  });

  it('compensates an overwrite in a versioned bucket by bringing the previous version back', async () => {
    const versioned = bucketName('versioned');
    await s3.send(new CreateBucketCommand({ Bucket: versioned }));
    await s3.send(
      new PutBucketVersioningCommand({ Bucket: versioned, VersioningConfiguration: { Status: 'Enabled' } }),
    );
    await s3.send(new PutObjectCommand({ Bucket: versioned, Key: 'config.json', Body: '{"v":1}' }));
    writeFileSync(join(workspace, 'config.json'), '{"v":2}');
    const args = { bucket_name: versioned, file_path: 'config.json' };
    const preview = await harness.preview('upload_s3', args);
    expect(preview).toMatchObject({ status: 'ok', preview: { changes: [{ kind: 'update' }], warnings: [] } });
    const envelope = await harness.approveAndRun('upload_s3', args);
    expect(envelope).toMatchObject({
      status: 'ok',
      created: [{ detail: { existed_before: true, version_id: expect.any(String) } }],
    });
    const undo = await harness.compensate(envelope, args);
    expect(undo).toMatchObject({
      status: 'ok',
      result: expect.stringMatching(/previous version is current again/),
    });
    const object = await s3.send(new GetObjectCommand({ Bucket: versioned, Key: 'config.json' }));
    expect(await object.Body?.transformToString()).toBe('{"v":1}');
  });

  it('refuses upload paths outside the workspace and missing files', async () => {
    for (const file_path of ['../outside.txt', '/etc/hostname']) {
      const envelope = await harness.approveAndRun('upload_s3', { bucket_name: bucket, file_path });
      expect(envelope).toMatchObject({
        status: 'error',
        error: { code: 'workspace_violation', field: 'file_path' },
      });
    }
    const missing = await harness.approveAndRun('upload_s3', { bucket_name: bucket, file_path: 'nope.txt' });
    expect(missing).toMatchObject({ status: 'error', error: { code: 'not_found', field: 'file_path' } });
  });

  it('keeps the AWS code when the bucket does not exist, and refuses to upload without approval', async () => {
    const missing = bucketName('missing');
    const preview = await harness.preview('upload_s3', { bucket_name: missing, file_path: 'fresh.txt' });
    expect(preview).toMatchObject({
      status: 'ok',
      preview: { warnings: [expect.stringMatching(/does not exist/)] },
    });
    const envelope = await harness.approveAndRun('upload_s3', {
      bucket_name: missing,
      file_path: 'fresh.txt',
    });
    expect(envelope).toMatchObject({
      status: 'error',
      error: { code: 'not_found', aws_code: 'NoSuchBucket' },
    });
    const refused = await harness.run('upload_s3', {
      bucket_name: bucket,
      file_path: 'fresh.txt',
      object_name: 'x.txt',
    });
    expect(refused).toMatchObject({ status: 'error', error: { code: 'approval_required' } });
    expect(await objectExists('x.txt')).toBe(false);
  });

  it('downloads into the workspace, creating folders, and refuses to overwrite unless asked', async () => {
    const args = { bucket_name: bucket, object_name: 'big/big.bin', file_path: 'downloads/deep/big.bin' };
    const envelope = await harness.run('download_s3', args);
    expect(envelope).toMatchObject({
      status: 'ok',
      result: { file_path: 'downloads/deep/big.bin', size: 9 * 1024 * 1024 + 123 },
    });
    expect(
      readFileSync(join(workspace, 'big.bin')).equals(
        readFileSync(join(workspace, 'downloads/deep/big.bin')),
      ),
    ).toBe(true);
    const again = await harness.run('download_s3', args);
    expect(again).toMatchObject({ status: 'error', error: { code: 'conflict', field: 'file_path' } });
    const preview = await harness.preview('download_s3', args);
    expect(preview).toMatchObject({
      status: 'ok',
      preview: { warnings: [expect.stringMatching(/already exists/)] },
    });
    const replaced = await harness.run('download_s3', {
      ...args,
      object_name: 'index.html',
      overwrite: true,
    });
    expect(replaced).toMatchObject({ status: 'ok', result: { content_type: 'text/html; charset=utf-8' } });
    expect(readFileSync(join(workspace, 'downloads/deep/big.bin'), 'utf8')).toBe('<h1>hello</h1>');
  });

  it('refuses downloads that would land outside the workspace, symlinks included', async () => {
    const outside = mkdtempSync(join(tmpdir(), 's3-outside-'));
    symlinkSync(outside, join(workspace, 'escape'));
    for (const file_path of ['../x', join(outside, 'x'), 'escape/x']) {
      const envelope = await harness.run('download_s3', {
        bucket_name: bucket,
        object_name: 'index.html',
        file_path,
      });
      expect(envelope).toMatchObject({
        status: 'error',
        error: { code: 'workspace_violation', field: 'file_path' },
      });
    }
    expect(existsSync(join(outside, 'x'))).toBe(false);
  });

  it('keeps NoSuchKey when downloading a missing object and leaves no partial file', async () => {
    const envelope = await harness.run('download_s3', {
      bucket_name: bucket,
      object_name: 'absent.txt',
      file_path: 'absent.txt',
    });
    expect(envelope).toMatchObject({ status: 'error', error: { code: 'not_found', aws_code: 'NoSuchKey' } });
    expect(existsSync(join(workspace, 'absent.txt'))).toBe(false);
  });

  it('lists more than one page of objects, honouring max_keys and the prefix', async () => {
    const many = bucketName('many');
    await s3.send(new CreateBucketCommand({ Bucket: many }));
    const keys = Array.from({ length: 1005 }, (_, index) => `logs/${String(index).padStart(4, '0')}.txt`);
    for (let start = 0; start < keys.length; start += 50) {
      await Promise.all(
        keys
          .slice(start, start + 50)
          .map((Key) => s3.send(new PutObjectCommand({ Bucket: many, Key, Body: 'x' }))),
      );
    }
    await s3.send(new PutObjectCommand({ Bucket: many, Key: 'other/readme.txt', Body: 'hello' }));
    const all = await harness.run('list_s3_objects', { bucket_name: many, max_keys: 5000 });
    expect(all).toMatchObject({ status: 'ok', result: { count: 1006, truncated: false } });
    const record = harness.audit.records.at(-1);
    expect(record?.awsCalls.filter((call) => call.operation === 'ListObjectsV2')).toHaveLength(2);
    const first = await harness.run('list_s3_objects', { bucket_name: many });
    expect(first).toMatchObject({ status: 'ok', result: { count: 1000, truncated: true } });
    const some = await harness.run('list_s3_objects', { bucket_name: many, prefix: 'logs/', max_keys: 1002 });
    expect(some).toMatchObject({ status: 'ok', result: { count: 1002, truncated: true } });
    const other = await harness.run('list_s3_objects', { bucket_name: many, prefix: 'other/' });
    expect(other).toMatchObject({
      status: 'ok',
      result: {
        count: 1,
        truncated: false,
        objects: [
          {
            key: 'other/readme.txt',
            size: 5,
            etag: '5d41402abc4b2a76b9719d911017c592',
            last_modified: expect.any(String),
          },
        ],
      },
    });
  });

  it('validates list input and keeps NoSuchBucket', async () => {
    const tooMany = await harness.run('list_s3_objects', { bucket_name: bucket, max_keys: 200_000 });
    expect(tooMany).toMatchObject({ status: 'error', error: { code: 'invalid_input', field: 'max_keys' } });
    const missing = await harness.run('list_s3_objects', { bucket_name: bucketName('absent') });
    expect(missing).toMatchObject({
      status: 'error',
      error: { code: 'not_found', aws_code: 'NoSuchBucket' },
    });
  });
});

describe('S3 object tools through the fault proxy', () => {
  let proxy: FaultProxy;
  let harness: ToolHarness;
  const bucket = bucketName('throttle');

  beforeAll(async () => {
    proxy = await startFaultProxy(sandboxEndpoint());
    harness = createToolHarness({ endpointUrl: proxy.endpointUrl });
    await harness.aws.s3().send(new CreateBucketCommand({ Bucket: bucket }));
    writeFileSync(join(harness.settings.workspace, 'a.txt'), 'throttled');
  });
  afterAll(async () => {
    harness.close();
    await proxy.close();
  });

  function throttle(method: string, pathStart: string): number {
    const before = proxy.faulted;
    proxy.addRule({
      match: (request) => request.method === method && request.path.startsWith(pathStart),
      times: 2,
      response: throttlingResponse('s3'),
    });
    return before;
  }

  it('retries throttled PutObject requests', async () => {
    const before = throttle('PUT', `/${bucket}/a.txt`);
    const envelope = await harness.approveAndRun('upload_s3', { bucket_name: bucket, file_path: 'a.txt' });
    expect(envelope).toMatchObject({ status: 'ok', result: { size: 9 } });
    expect(proxy.faulted - before).toBe(2);
  });

  it('retries throttled GetObject and ListObjectsV2 requests', async () => {
    let before = throttle('GET', `/${bucket}/a.txt`);
    const download = await harness.run('download_s3', {
      bucket_name: bucket,
      object_name: 'a.txt',
      file_path: 'copy.txt',
    });
    expect(download).toMatchObject({ status: 'ok', result: { size: 9 } });
    expect(proxy.faulted - before).toBe(2);
    before = throttle('GET', `/${bucket}/?list-type=2`);
    const list = await harness.run('list_s3_objects', { bucket_name: bucket });
    expect(list).toMatchObject({ status: 'ok', result: { count: 1 } });
    expect(proxy.faulted - before).toBe(2);
  });

  it('names the right region when the bucket lives elsewhere', async () => {
    proxy.addRule({
      match: (request) => request.method === 'GET' && request.path.startsWith(`/${bucket}/?list-type=2`),
      times: 1,
      response: {
        status: 301,
        headers: { 'content-type': 'application/xml', 'x-amz-bucket-region': 'eu-west-1' },
        body: '<Error><Code>PermanentRedirect</Code><Message>The bucket you are attempting to access must be addressed using the specified endpoint.</Message><RequestId>fault-proxy</RequestId></Error>',
      },
    });
    const envelope = await harness.run('list_s3_objects', { bucket_name: bucket });
    expect(envelope).toMatchObject({
      status: 'error',
      error: { code: 'invalid_input', field: 'region', aws_code: 'PermanentRedirect' },
    });
    if (envelope.status === 'error')
      expect(envelope.error.message).toMatch(/call again with region 'eu-west-1'/);
  });
});
