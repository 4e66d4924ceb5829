import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DescribeInstanceAttributeCommand, DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import { CreateBucketCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeployEc2RepoResult } from '../../src/tools/github/index.js';
import { findAmi, stateOf } from '../aws/ec2-fixtures.js';
import { operationsOf } from '../aws/lambda-fixtures.js';
import { expectOk } from '../helpers/envelopes.js';
import { actionOf, throttlingResponse } from '../helpers/fault-proxy.js';
import { createToolHarness, type ToolHarness, withProxiedHarness } from '../helpers/tool-harness.js';
import { uniqueName } from '../helpers/unique-name.js';
import { makeShopRepo } from './repo-fixtures.js';

async function createStagingBucket(harness: ToolHarness): Promise<string> {
  const bucket = uniqueName('stage');
  await harness.aws.s3().send(new CreateBucketCommand({ Bucket: bucket }));
  return bucket;
}

async function userDataOf(harness: ToolHarness, instanceId: string): Promise<string> {
  const answer = await harness.aws
    .ec2()
    .send(new DescribeInstanceAttributeCommand({ InstanceId: instanceId, Attribute: 'userData' }));
  return Buffer.from(answer.UserData?.Value ?? '', 'base64').toString('utf8');
}

async function objectExists(harness: ToolHarness, uri: string): Promise<boolean> {
  const [, bucket, key] = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri) ?? [];
  try {
    await harness.aws.s3().send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return true;
  } catch {
    return false;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** True while the process exists and is not a zombie waiting for a reaper. */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const stat = existsSync(`/proc/${pid}/stat`) ? readFileSync(`/proc/${pid}/stat`, 'utf8') : '';
  return !/^\d+ \(.*\) Z/.test(stat);
}

async function getText(url: string): Promise<{ status: number; text: string } | undefined> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(3000) });
    return { status: response.status, text: await response.text() };
  } catch {
    return undefined;
  }
}

describe('deploy_ec2_repo against the sandbox', () => {
  const harness = createToolHarness();
  let ami = '';
  let bucket = '';
  let repo = '';
  const started: number[] = [];
  beforeAll(async () => {
    ami = await findAmi(harness);
    bucket = await createStagingBucket(harness);
    repo = makeShopRepo(harness, 'shop', { frontend: true });
  });
  afterAll(() => {
    for (const pid of started) if (isRunning(pid)) process.kill(-pid, 'SIGKILL');
    harness.close();
  });

  const argsFor = (appName: string, overrides: Record<string, unknown> = {}) => ({
    repo,
    app_name: appName,
    ami_id: ami,
    staging_bucket: bucket,
    ...overrides,
  });

  it('stages the package, launches a tagged instance, reuses it for unchanged code, and its user data really starts the app', async () => {
    const app = uniqueName('shop');
    const first = await harness.approveAndRun<DeployEc2RepoResult>('deploy_ec2_repo', argsFor(app));
    const created = expectOk(first);
    expect(created).toMatchObject({
      app_name: app,
      operation: 'created',
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(created.artifact).toBe(`s3://${bucket}/aws-copilot/${app}/${created.sha256}.zip`);
    expect(await objectExists(harness, created.artifact)).toBe(true);
    expect(await stateOf(harness, created.instance_id)).toBe('running');
    const instance = await harness.aws
      .ec2()
      .send(new DescribeInstancesCommand({ InstanceIds: [created.instance_id] }));
    const tags = Object.fromEntries(
      (instance.Reservations?.[0]?.Instances?.[0]?.Tags ?? []).map((tag) => [tag.Key, tag.Value]),
    );
    expect(tags).toMatchObject({ 'aws-copilot:app': app, 'aws-copilot:artifact-sha256': created.sha256 });
    const script = await userDataOf(harness, created.instance_id);
    expect(script.startsWith('#!/bin/bash\n')).toBe(true);
    expect(script).toContain(`ARTIFACT_SHA256='${created.sha256}'`);
    expect(script).toContain(`/aws-copilot/${app}/${created.sha256}.zip?`);

    const again = await harness.approveAndRun<DeployEc2RepoResult>('deploy_ec2_repo', argsFor(app));
    expect(expectOk(again)).toMatchObject({ operation: 'unchanged', instance_id: created.instance_id });
    const calls = operationsOf(harness, again);
    expect(calls).not.toContain('RunInstances');
    expect(calls.filter((call) => /PutObject|Multipart/.test(call))).toEqual([]);
    expect(again.created).toEqual([]);

    // The artifact proof: run the instance's own user data here, in a scratch folder, without systemd.
    const root = mkdtempSync(join(tmpdir(), 'ec2-userdata-'));
    const port = await freePort();
    writeFileSync(join(root, 'user-data.sh'), script);
    const child = spawn('bash', [join(root, 'user-data.sh')], {
      env: {
        ...process.env,
        APP_ROOT: join(root, 'app'),
        PORT: String(port),
        HOST: '127.0.0.1',
        USE_SYSTEMD: 'no',
        LOG_FILE: join(root, 'deploy.log'),
        PYTHON: 'python3.11',
        HEALTH_TIMEOUT: '170',
      },
      detached: true,
      stdio: 'ignore',
    });
    const exitCode = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    const log = () =>
      existsSync(join(root, 'deploy.log')) ? readFileSync(join(root, 'deploy.log'), 'utf8') : '';
    expect(exitCode, log()).toBe(0);
    let health: { status: number; text: string } | undefined;
    for (let attempt = 0; attempt < 90 && health?.status !== 200; attempt += 1) {
      health = await getText(`http://127.0.0.1:${port}/api/health`);
      if (health?.status !== 200) await sleep(2000);
    }
    expect(health?.status, log()).toBe(200);
    expect(JSON.parse(health?.text ?? '{}')).toEqual({ status: 'ok', service: 'shop', version: '1.0.0' });
    expect((await getText(`http://127.0.0.1:${port}/`))?.text).toContain('<h1>Shop</h1>');

    const pid = Number(readFileSync(join(root, 'app', `${app}.pid`), 'utf8').trim());
    started.push(pid);
    process.kill(-pid, 'SIGTERM');
    for (let attempt = 0; attempt < 50 && isRunning(pid); attempt += 1) await sleep(200);
    expect(isRunning(pid)).toBe(false);

    const undo = await harness.compensate(first, argsFor(app));
    expect(undo).toMatchObject({
      status: 'ok',
      result: expect.stringContaining(`terminated ${created.instance_id}`),
    });
    expect(await stateOf(harness, created.instance_id)).toBe('terminated');
    expect(await objectExists(harness, created.artifact)).toBe(false);
  }, 400_000);

  it('previews locally and with describe calls, warning about a missing staging bucket', async () => {
    const app = uniqueName('shop-preview');
    const envelope = await harness.preview(
      'deploy_ec2_repo',
      argsFor(app, { staging_bucket: uniqueName('missing') }),
    );
    expect(envelope.status).toBe('ok');
    if (envelope.status !== 'ok') return;
    expect(envelope.preview?.changes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'read', resource: repo }),
        expect.objectContaining({ kind: 'create', resource: 'ec2:instance' }),
      ]),
    );
    expect(envelope.preview?.warnings.join('\n')).toMatch(/does not exist/);
    // RunInstances appears only as EC2's own DryRun: no instance of the app exists afterwards.
    expect(envelope.preview?.method).toBe('aws-dry-run');
    const found = await harness.aws
      .ec2()
      .send(new DescribeInstancesCommand({ Filters: [{ Name: 'tag:aws-copilot:app', Values: [app] }] }));
    expect(found.Reservations ?? []).toEqual([]);
  }, 120_000);

  it('fails on a missing staging bucket with its AWS code, having created nothing', async () => {
    const envelope = await harness.approveAndRun(
      'deploy_ec2_repo',
      argsFor(uniqueName('shop'), { staging_bucket: uniqueName('missing') }),
    );
    expect(envelope).toMatchObject({
      status: 'error',
      error: { code: 'not_found', aws_code: 'NoSuchBucket' },
      created: [],
    });
  }, 120_000);

  it('an unknown AMI fails with its AWS code after staging, and compensation removes the staged package', async () => {
    const app = uniqueName('shop-badami');
    const args = argsFor(app, { ami_id: 'ami-0000000000000000f' });
    const envelope = await harness.approveAndRun('deploy_ec2_repo', args);
    expect(envelope).toMatchObject({ status: 'error', error: { aws_code: 'InvalidAMIID.NotFound' } });
    const staged = envelope.created.find((resource) => resource.type === 's3:object');
    expect(staged).toBeDefined();
    expect(await objectExists(harness, staged?.id ?? '')).toBe(true);
    expect((await harness.compensate(envelope, args)).status).toBe('ok');
    expect(await objectExists(harness, staged?.id ?? '')).toBe(false);
  }, 120_000);

  it('refuses to run without approval and creates nothing', async () => {
    const envelope = await harness.run('deploy_ec2_repo', argsFor(uniqueName('shop')));
    expect(envelope).toMatchObject({ status: 'error', error: { code: 'approval_required' }, created: [] });
  });

  it('rejects a bad repo and a bad app name, naming the field', async () => {
    for (const [overrides, field] of [
      [{ repo: 'ftp://x' }, 'repo'],
      [{ repo: 'https://user:pass@host/x' }, 'repo'],
      [{ app_name: 'Shop_App' }, 'app_name'],
      [{ port: 70000 }, 'port'],
    ] as const) {
      const envelope = await harness.approveAndRun('deploy_ec2_repo', argsFor('shop', overrides));
      expect(envelope).toMatchObject({ status: 'error', error: { code: 'invalid_input', field } });
    }
  });
});

describe('deploy_ec2_repo through a throttling endpoint', () => {
  it('retries throttled DescribeInstances calls and still deploys', async () => {
    await withProxiedHarness(async (harness, proxy) => {
      const ami = await findAmi(harness);
      const bucket = await createStagingBucket(harness);
      const repo = makeShopRepo(harness, 'shop');
      proxy.addRule({
        match: (request) => actionOf(request) === 'DescribeInstances',
        times: 2,
        response: throttlingResponse('ec2'),
      });
      const args = { repo, app_name: uniqueName('shop-throttled'), ami_id: ami, staging_bucket: bucket };
      const envelope = await harness.approveAndRun<DeployEc2RepoResult>('deploy_ec2_repo', args);
      expect(expectOk(envelope).operation).toBe('created');
      expect(proxy.faulted).toBe(2);
      expect((await harness.compensate(envelope, args)).status).toBe('ok');
    });
  }, 180_000);
});
