import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { CATALOG } from '../../src/tools/catalog.js';
import { cliEnvironment, runCli } from '../helpers/cli.js';
import { sandboxEndpoint } from '../helpers/tool-harness.js';

describe('the aws-copilot command', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'cli-data-'));
  const env = () =>
    cliEnvironment({
      AWS_ENDPOINT_URL: sandboxEndpoint(),
      AWS_COPILOT_DATA_DIR: dataDir,
      AWS_COPILOT_AWS_RPS: '50',
    });

  async function bucketExists(name: string): Promise<boolean> {
    const s3 = new S3Client({
      region: 'us-east-1',
      endpoint: sandboxEndpoint(),
      forcePathStyle: true,
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    });
    try {
      await s3.send(new HeadBucketCommand({ Bucket: name }));
      return true;
    } catch {
      return false;
    } finally {
      s3.destroy();
    }
  }

  it('prints help listing its commands', async () => {
    const result = await runCli(['--help'], env());
    expect(result.code).toBe(0);
    for (const command of ['tools', 'sandbox', 'iam-policy']) expect(result.stdout).toContain(command);
  });

  it('lists every tool of the catalog with its risk and IAM actions', async () => {
    const result = await runCli(['tools', 'list', '--json'], env());
    expect(result.code).toBe(0);
    const listed = JSON.parse(result.stdout) as Array<{
      name: string;
      risk: string;
      iam: string[];
      input_schema: object;
    }>;
    expect(listed.map((tool) => tool.name).sort()).toEqual(CATALOG.map((tool) => tool.name).sort());
    for (const tool of listed) {
      expect(['read', 'write', 'destructive']).toContain(tool.risk);
      expect(tool.input_schema).toHaveProperty('type', 'object');
    }
  });

  it('runs a read tool against the endpoint and prints the envelope', async () => {
    const result = await runCli(['tools', 'run', 'get_caller_identity'], env());
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ status: 'ok', result: { account: '123456789012' } });
  });

  it('refuses a write without --yes when nobody can be asked, and creates nothing', async () => {
    const bucket = `cli-refused-${Date.now()}`;
    const result = await runCli(
      ['tools', 'run', 'create_bucket', '--args', JSON.stringify({ bucket_name: bucket })],
      env(),
    );
    expect(result.code).toBe(3);
    expect(JSON.parse(result.stdout)).toMatchObject({
      status: 'error',
      error: { code: 'approval_required' },
    });
    expect(await bucketExists(bucket)).toBe(false);
  });

  it('runs a write with --yes, and previews without changing anything', async () => {
    const bucket = `cli-approved-${Date.now()}`;
    const args = ['--args', JSON.stringify({ bucket_name: bucket })];
    const preview = await runCli(['tools', 'run', 'create_bucket', ...args, '--preview'], env());
    expect(preview.code).toBe(0);
    expect(JSON.parse(preview.stdout)).toMatchObject({ status: 'ok', mode: 'preview' });
    expect(await bucketExists(bucket)).toBe(false);
    const result = await runCli(['tools', 'run', 'create_bucket', ...args, '--yes'], env());
    expect(result.code).toBe(0);
    expect(await bucketExists(bucket)).toBe(true);
  });

  it('explains bad command lines with exit code 2', async () => {
    const badJson = await runCli(['tools', 'run', 'get_caller_identity', '--args', '{nope'], env());
    expect(badJson.code).toBe(2);
    expect(badJson.stderr).toMatch(/--args is not valid JSON/);
    const unknown = await runCli(['tools', 'run', 'format_disk'], env());
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown tool 'format_disk'/);
    const badRegion = await runCli(['tools', 'run', 'get_caller_identity'], {
      ...env(),
      AWS_REGION: 'moon-1',
    });
    expect(badRegion.code).toBe(2);
    expect(badRegion.stderr).toMatch(/unknown AWS region 'moon-1'/);
  });

  it('prints an IAM policy naming exactly the actions of the chosen tools', async () => {
    const result = await runCli(['iam-policy', '--tools', 'get_caller_identity'], env());
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      Version: '2012-10-17',
      Statement: [
        { Sid: 'AwsCopilotSts', Effect: 'Allow', Action: ['sts:GetCallerIdentity'], Resource: '*' },
      ],
    });
  });
});
