import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetFunctionCommand } from '@aws-sdk/client-lambda';
import { CreateBucketCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { lambdaCodeSha256 } from '../../src/tools/aws/lambda-code.js';
import type { DeployLambdaRepoResult } from '../../src/tools/github/index.js';
import { createExecutionRole, operationsOf } from '../aws/lambda-fixtures.js';
import { expectOk } from '../helpers/envelopes.js';
import { throttlingResponse } from '../helpers/fault-proxy.js';
import { withProxiedHarness } from '../helpers/tool-harness.js';
import { uniqueName } from '../helpers/unique-name.js';
import { lambdaRepoSuite } from './lambda-repo-suite.js';
import {
  commitNewVersion,
  git,
  httpApiEvent,
  invokeHandlerLocally,
  makeShopRepo,
  unzipToTemp,
} from './repo-fixtures.js';

const CODE_WRITES = ['CreateFunction', 'UpdateFunctionCode', 'UpdateFunctionConfiguration'];

describe('deploy_lambda_repo against the sandbox', () => {
  const suite = lambdaRepoSuite('shop');
  const { harness } = suite;

  const argsFor = (name: string, overrides: Record<string, unknown> = {}) => ({
    repo: suite.repo,
    function_name: name,
    role_arn: suite.role,
    // python3.11 so the wheels in the package match the local interpreter that imports them below.
    runtime: 'python3.11',
    ...overrides,
  });
  const describeFunction = (name: string) =>
    harness.aws.lambda().send(new GetFunctionCommand({ FunctionName: name }));

  it('deploys the sample backend, skips an unchanged redeploy, updates after a commit, and the package really serves', async () => {
    const name = uniqueName('shop-api');
    const first = await harness.approveAndRun<DeployLambdaRepoResult>('deploy_lambda_repo', argsFor(name));
    const created = expectOk(first);
    const dir = join(harness.settings.workspace, suite.repo);
    expect(created).toMatchObject({
      function_name: name,
      operation: 'created',
      commit_sha: git(dir, 'rev-parse', 'HEAD'),
    });
    expect(first.created).toEqual([expect.objectContaining({ type: 'lambda:function', id: name })]);
    const zipPath = join(harness.settings.workspace, created.zip_file);
    expect(created.bytes).toBe(readFileSync(zipPath).length);
    expect(created.code_sha256).toBe(await lambdaCodeSha256(zipPath));
    const { Configuration } = await describeFunction(name);
    expect(Configuration).toMatchObject({
      Runtime: 'python3.11',
      Handler: 'lambda_handler.handler',
      CodeSha256: created.code_sha256,
    });

    // The artifact itself: its handler answers an API Gateway HTTP API event.
    const unpacked = unzipToTemp(zipPath);
    const response = invokeHandlerLocally(unpacked, 'python3.11', httpApiEvent('/api/health'));
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(String(response.body))).toEqual({ status: 'ok', service: 'shop', version: '1.0.0' });

    const again = await harness.approveAndRun<DeployLambdaRepoResult>('deploy_lambda_repo', argsFor(name));
    expect(expectOk(again)).toMatchObject({ operation: 'unchanged', code_sha256: created.code_sha256 });
    expect(operationsOf(harness, again).filter((operation) => CODE_WRITES.includes(operation))).toEqual([]);
    expect(again.created).toEqual([]);

    commitNewVersion(harness, suite.repo, '1.1.0');
    const third = await harness.approveAndRun<DeployLambdaRepoResult>('deploy_lambda_repo', argsFor(name));
    const updated = expectOk(third);
    expect(updated.operation).toBe('updated');
    expect(updated.code_sha256).not.toBe(created.code_sha256);
    expect(operationsOf(harness, third)).toContain('UpdateFunctionCode');
    expect((await describeFunction(name)).Configuration?.CodeSha256).toBe(updated.code_sha256);

    // Undoing the update puts the first code back; undoing the creation deletes the function.
    const undoUpdate = await harness.compensate(third, argsFor(name));
    expect(undoUpdate.status).toBe('ok');
    expect((await describeFunction(name)).Configuration?.CodeSha256).toBe(created.code_sha256);
    const undoCreate = await harness.compensate(first, argsFor(name));
    expect(undoCreate).toMatchObject({
      status: 'ok',
      result: expect.stringMatching(/deleted Lambda function/),
    });
    await expect(describeFunction(name)).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  }, 300_000);

  it('stages a package over 50 MB in S3 (staging_bucket required) and removes it on rollback', async () => {
    const big = makeShopRepo(harness, 'shop-big');
    // Random bytes do not compress: the zip stays over Lambda's 50 MB direct upload limit.
    writeFileSync(
      join(harness.settings.workspace, big, 'backend', 'model.bin'),
      randomBytes(51 * 1024 * 1024),
    );
    git(join(harness.settings.workspace, big), 'add', '-A');
    git(join(harness.settings.workspace, big), 'commit', '-q', '-m', 'model');
    const name = uniqueName('shop-big');
    const missing = await harness.approveAndRun('deploy_lambda_repo', argsFor(name, { repo: big }));
    expect(missing).toMatchObject({
      status: 'error',
      error: { code: 'invalid_input', field: 'staging_bucket' },
    });

    const bucket = uniqueName('lambda-stage');
    await harness.aws.s3().send(new CreateBucketCommand({ Bucket: bucket }));
    const args = argsFor(name, { repo: big, staging_bucket: bucket });
    const envelope = await harness.approveAndRun<DeployLambdaRepoResult>('deploy_lambda_repo', args);
    const result = expectOk(envelope);
    expect(result.bytes).toBeGreaterThan(50 * 1024 * 1024);
    expect(result.staged_object).toMatch(
      new RegExp(`^s3://${bucket}/aws-copilot/lambda/${name}/[0-9a-f]{64}\\.zip$`),
    );
    expect((await describeFunction(name)).Configuration?.CodeSha256).toBe(result.code_sha256);
    const key = result.staged_object?.replace(`s3://${bucket}/`, '') ?? '';
    const head = () => harness.aws.s3().send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    await expect(head()).resolves.toBeDefined();

    const undo = await harness.compensate(envelope, args);
    expect(undo).toMatchObject({
      status: 'ok',
      result: expect.stringContaining(`deleted ${result.staged_object}`),
    });
    await expect(describeFunction(name)).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    await expect(head()).rejects.toBeDefined();
    // 50 MB files three times over (repo, package, rollback copy): do not leave them in /tmp.
    rmSync(join(harness.settings.workspace, big), { recursive: true, force: true });
    rmSync(join(harness.settings.workspace, result.zip_file), { force: true });
    rmSync(join(harness.settings.dataDir, 'lambda-backups', 'us-east-1', name), {
      recursive: true,
      force: true,
    });
  }, 300_000);

  it('previews with a local build and a describe-based diff, changing nothing', async () => {
    const name = uniqueName('shop-preview');
    const envelope = await harness.preview('deploy_lambda_repo', argsFor(name));
    expect(envelope.status).toBe('ok');
    if (envelope.status !== 'ok') return;
    expect(envelope.preview).toMatchObject({
      method: 'describe-diff',
      changes: expect.arrayContaining([
        expect.objectContaining({ kind: 'read', resource: suite.repo }),
        expect.objectContaining({ kind: 'create', resource: `lambda:function/${name}` }),
      ]),
    });
    expect(operationsOf(harness, envelope).filter((operation) => CODE_WRITES.includes(operation))).toEqual(
      [],
    );
    await expect(describeFunction(name)).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  }, 180_000);

  it('refuses to run without approval and creates nothing', async () => {
    const name = uniqueName('shop-unapproved');
    const envelope = await harness.run('deploy_lambda_repo', argsFor(name));
    expect(envelope).toMatchObject({ status: 'error', error: { code: 'approval_required' }, created: [] });
    await expect(describeFunction(name)).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });

  it('rejects repositories that are not https URLs or workspace folders, naming the field', async () => {
    for (const bad of [
      'ftp://x',
      'https://user:pass@host/x',
      'ext::sh -c touch% /tmp/pwned',
      'git@github.com:a/b.git',
    ]) {
      const envelope = await harness.approveAndRun(
        'deploy_lambda_repo',
        argsFor(uniqueName('bad'), { repo: bad }),
      );
      expect(envelope).toMatchObject({ status: 'error', error: { code: 'invalid_input', field: 'repo' } });
    }
    const outside = await harness.approveAndRun(
      'deploy_lambda_repo',
      argsFor(uniqueName('bad'), { repo: '../elsewhere' }),
    );
    expect(outside).toMatchObject({ status: 'error', error: { code: 'workspace_violation', field: 'repo' } });
    const noFolder = await harness.approveAndRun(
      'deploy_lambda_repo',
      argsFor(uniqueName('bad'), { source_dir: 'api' }),
    );
    expect(noFolder).toMatchObject({
      status: 'error',
      error: { code: 'invalid_input', field: 'source_dir' },
    });
  });

  it('never lets the github token reach the audit record, the envelope or error messages', async () => {
    const token = 'tok-SeCrEt-0123456789abcdef';
    const local = await harness.approveAndRun(
      'deploy_lambda_repo',
      argsFor(uniqueName('tok'), { github_token: token, source_dir: 'nope' }),
    );
    // A remote that refuses the connection: git's own error text is reported, without the token.
    const remote = await harness.approveAndRun(
      'deploy_lambda_repo',
      argsFor(uniqueName('tok'), { repo: 'https://127.0.0.1:9/acme/shop.git', github_token: token }),
    );
    expect(remote).toMatchObject({ status: 'error', error: { code: 'command_failed' } });
    const preview = await harness.preview(
      'deploy_lambda_repo',
      argsFor(uniqueName('tok'), { github_token: token }),
    );
    expect(preview.status).toBe('ok');
    const basic = Buffer.from(`x-access-token:${token}`).toString('base64');
    for (const envelope of [local, remote, preview]) {
      const record = harness.audit.records.find((candidate) => candidate.id === envelope.audit_id);
      for (const text of [JSON.stringify(envelope), JSON.stringify(record)]) {
        expect(text).not.toContain(token);
        expect(text).not.toContain(basic);
      }
    }
  }, 180_000);

  it('an AWS error keeps its AWS code: an execution role that does not exist', async () => {
    const envelope = await harness.approveAndRun(
      'deploy_lambda_repo',
      argsFor(uniqueName('norole'), { role_arn: 'arn:aws:iam::123456789012:role/does-not-exist' }),
    );
    expect(envelope).toMatchObject({
      status: 'error',
      error: { code: 'aws_error', aws_code: 'InvalidParameterValueException' },
      created: [],
    });
  }, 180_000);
});

describe('deploy_lambda_repo through a throttling endpoint', () => {
  it('retries throttled Lambda calls and still deploys', async () => {
    await withProxiedHarness(async (harness, proxy) => {
      const role = await createExecutionRole();
      const repo = makeShopRepo(harness, 'shop');
      proxy.addRule({
        match: (request) => request.method === 'POST' && request.path === '/2015-03-31/functions',
        times: 2,
        response: throttlingResponse('rest-json'),
      });
      const name = uniqueName('throttled');
      const args = { repo, function_name: name, role_arn: role, runtime: 'python3.11' };
      const envelope = await harness.approveAndRun<DeployLambdaRepoResult>('deploy_lambda_repo', args);
      expect(expectOk(envelope).operation).toBe('created');
      expect(proxy.faulted).toBe(2);
      expect((await harness.compensate(envelope, args)).status).toBe('ok');
    });
  }, 300_000);
});
