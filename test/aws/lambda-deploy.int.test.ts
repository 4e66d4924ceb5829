import { existsSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CreateFunctionCommand } from '@aws-sdk/client-lambda';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import type { DeployLambdaResult } from '../../src/tools/aws/lambda.js';
import { expectOk } from '../helpers/envelopes.js';
import { throttlingResponse } from '../helpers/fault-proxy.js';
import { withProxiedHarness } from '../helpers/tool-harness.js';
import { uniqueName } from '../helpers/unique-name.js';
import { createExecutionRole, lambdaSuite, operationsOf, pythonApp, writeZip } from './lambda-fixtures.js';

const WRITES = ['CreateFunction', 'UpdateFunctionCode', 'UpdateFunctionConfiguration'];

describe('deploy_lambda against the sandbox', () => {
  const suite = lambdaSuite(pythonApp('hello'), pythonApp('bonjour'));
  const { harness, sha, describeFunction } = suite;

  const argsFor = (name: string, overrides: Record<string, unknown> = {}) => ({
    function_name: name,
    runtime: 'python3.12',
    handler: 'app.handler',
    role_arn: suite.role,
    zip_file: suite.zipV1,
    environment: { STAGE: 'test' },
    ...overrides,
  });

  it('creates a missing function with the given runtime, handler and environment', async () => {
    const name = uniqueName('create');
    const envelope = await harness.approveAndRun<DeployLambdaResult>('deploy_lambda', argsFor(name));
    const result = expectOk(envelope);
    expect(result).toMatchObject({
      function_name: name,
      operation: 'created',
      state: 'Active',
      code_sha256: await sha(suite.zipV1),
    });
    expect(envelope.created).toEqual([expect.objectContaining({ type: 'lambda:function', id: name })]);
    const { Configuration } = await describeFunction(name);
    expect(Configuration).toMatchObject({
      Runtime: 'python3.12',
      Handler: 'app.handler',
      Role: suite.role,
      Environment: { Variables: { STAGE: 'test' } },
      CodeSha256: await sha(suite.zipV1),
    });
  });

  it('get_lambda_function reads state and environment names without values', async () => {
    const name = uniqueName('read');
    expectOk(
      await harness.approveAndRun(
        'deploy_lambda',
        argsFor(name, { environment: { API_TOKEN: 'very-secret-value' } }),
      ),
    );
    const envelope = await harness.run('get_lambda_function', { function_name: name });
    expect(expectOk(envelope)).toMatchObject({
      function_name: name,
      state: 'Active',
      environment_names: ['API_TOKEN'],
    });
    expect(JSON.stringify(envelope)).not.toContain('very-secret-value');
    const missing = await harness.run('get_lambda_function', { function_name: uniqueName('absent') });
    expect(missing).toMatchObject({ status: 'error', error: { aws_code: 'ResourceNotFoundException' } });
  });

  it('makes no write call when code and configuration are unchanged', async () => {
    const name = uniqueName('same');
    expectOk(await harness.approveAndRun('deploy_lambda', argsFor(name)));
    const again = await harness.approveAndRun<DeployLambdaResult>('deploy_lambda', argsFor(name));
    expect(expectOk(again).operation).toBe('unchanged');
    expect(operationsOf(harness, again).filter((operation) => WRITES.includes(operation))).toEqual([]);
    expect(again.created).toEqual([]);
  });

  it('updates only the code when the zip changed, and compensation restores the previous code', async () => {
    const name = uniqueName('code');
    expectOk(await harness.approveAndRun('deploy_lambda', argsFor(name)));
    const args = argsFor(name, { zip_file: suite.zipV2 });
    const envelope = await harness.approveAndRun<DeployLambdaResult>('deploy_lambda', args);
    const result = expectOk(envelope);
    expect(result).toMatchObject({
      operation: 'updated',
      code_sha256: await sha(suite.zipV2),
      previous_code_sha256: await sha(suite.zipV1),
      last_update_status: 'Successful',
    });
    expect(result.code_backup).toContain(join(harness.settings.dataDir, 'lambda-backups'));
    expect(existsSync(result.code_backup as string)).toBe(true);
    const operations = operationsOf(harness, envelope);
    expect(operations).toContain('UpdateFunctionCode');
    expect(operations).not.toContain('UpdateFunctionConfiguration');
    expect((await describeFunction(name)).Configuration?.CodeSha256).toBe(await sha(suite.zipV2));

    const undo = await harness.compensate(envelope, args);
    expect(expectOk(undo)).toMatch(/restored the code/);
    expect((await describeFunction(name)).Configuration?.CodeSha256).toBe(await sha(suite.zipV1));
  });

  it('updates only the configuration when only it changed, and compensation restores it', async () => {
    const name = uniqueName('config');
    expectOk(await harness.approveAndRun('deploy_lambda', argsFor(name)));
    const args = argsFor(name, { memory_size: 256, timeout: 30, environment: { STAGE: 'prod', DEBUG: '0' } });
    const preview = await harness.preview('deploy_lambda', args);
    expect(preview.status === 'ok' && preview.preview?.changes.map((change) => change.detail)).toEqual([
      'function exists: update configuration, MemorySize 128 -> 256',
      'function exists: update configuration, Timeout 3 -> 30',
      'function exists: update configuration, Environment: add DEBUG; change STAGE',
    ]);
    const envelope = await harness.approveAndRun<DeployLambdaResult>('deploy_lambda', args);
    expect(expectOk(envelope).operation).toBe('updated');
    const operations = operationsOf(harness, envelope);
    expect(operations).toContain('UpdateFunctionConfiguration');
    expect(operations).not.toContain('UpdateFunctionCode');
    expect((await describeFunction(name)).Configuration).toMatchObject({
      MemorySize: 256,
      Timeout: 30,
      Environment: { Variables: { STAGE: 'prod', DEBUG: '0' } },
      CodeSha256: await sha(suite.zipV1),
    });
    // The previous environment is kept in a private file, not in the tool's envelope.
    expect(JSON.stringify(envelope)).not.toContain('"test"');

    expectOk(await harness.compensate(envelope, args));
    expect((await describeFunction(name)).Configuration).toMatchObject({
      MemorySize: 128,
      Timeout: 3,
      Environment: { Variables: { STAGE: 'test' } },
    });
  });

  it('compensating a creation deletes the function', async () => {
    const name = uniqueName('undo');
    const args = argsFor(name);
    const envelope = await harness.approveAndRun('deploy_lambda', args);
    expectOk(envelope);
    expect(expectOk(await harness.compensate(envelope, args))).toBe(`deleted Lambda function ${name}`);
    await expect(describeFunction(name)).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });

  it('previews a creation and a code update as describe-based diffs', async () => {
    const name = uniqueName('preview');
    const create = await harness.preview('deploy_lambda', argsFor(name));
    expect(create.status === 'ok' && create.preview).toMatchObject({
      method: 'describe-diff',
      changes: [{ kind: 'create', detail: expect.stringMatching(/^create function .*python3\.12/) }],
      warnings: [],
    });
    await expect(describeFunction(name)).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    expectOk(await harness.approveAndRun('deploy_lambda', argsFor(name)));
    const update = await harness.preview('deploy_lambda', argsFor(name, { zip_file: suite.zipV2 }));
    expect(update.status === 'ok' && update.preview?.changes).toEqual([
      expect.objectContaining({
        kind: 'update',
        detail: expect.stringMatching(
          /^function exists: update code, CodeSha256 [0-9a-f]{10} -> [0-9a-f]{10}$/,
        ),
      }),
    ]);
    const missing = await harness.preview('deploy_lambda', argsFor(name, { zip_file: 'nope.zip' }));
    expect(missing.status === 'ok' && missing.preview?.warnings).toEqual([
      expect.stringMatching(/'nope.zip' does not exist/),
    ]);
  });

  it('deploys code from S3 and compares it by SHA-256', async () => {
    const bucket = uniqueName('lambda-code');
    const s3 = harness.aws.s3();
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const { readFile } = await import('node:fs/promises');
    const body = await readFile(join(harness.settings.workspace, suite.zipV1));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'app.zip', Body: body }));
    const name = uniqueName('s3');
    const args = argsFor(name, { zip_file: undefined, s3_bucket: bucket, s3_key: 'app.zip' });
    expect(expectOk(await harness.approveAndRun<DeployLambdaResult>('deploy_lambda', args))).toMatchObject({
      operation: 'created',
      code_sha256: await sha(suite.zipV1),
    });
    const again = await harness.approveAndRun<DeployLambdaResult>('deploy_lambda', args);
    expect(expectOk(again).operation).toBe('unchanged');
  });

  it('says when the code of a function it did not deploy cannot be saved for rollback', async () => {
    const name = uniqueName('foreign');
    const { readFile } = await import('node:fs/promises');
    await harness.aws.lambda().send(
      new CreateFunctionCommand({
        FunctionName: name,
        Runtime: 'python3.12',
        Handler: 'app.handler',
        Role: suite.role,
        Code: { ZipFile: await readFile(join(harness.settings.workspace, suite.zipV1)) },
      }),
    );
    const args = argsFor(name, { zip_file: suite.zipV2, environment: undefined });
    const preview = await harness.preview('deploy_lambda', args);
    expect(preview.status === 'ok' && preview.preview?.warnings).toEqual([
      expect.stringMatching(/cannot be saved for rollback .*does not serve/),
    ]);
    const envelope = await harness.approveAndRun<DeployLambdaResult>('deploy_lambda', args);
    const result = expectOk(envelope);
    expect(result).toMatchObject({ operation: 'updated', code_backup: null });
    expect(result.code_backup_note).toMatch(/Code\.Location on real AWS/);
    const undo = await harness.compensate(envelope, args);
    expect(undo).toMatchObject({ status: 'error', error: { code: 'not_found' } });
    if (undo.status === 'error') expect(undo.error.message).toMatch(/previous code of .* was not saved/);
  });

  it('rejects bad input naming the field', async () => {
    const name = uniqueName('bad');
    const cases: Array<[Record<string, unknown>, string, RegExp]> = [
      [{ function_name: 'my function' }, 'function_name', /letters, digits, hyphens and underscores/],
      [{ role_arn: 'arn:aws:iam::12345:role/x' }, 'role_arn', /not an IAM role ARN/],
      [{ runtime: 'python2.7' }, 'runtime', /unknown runtime 'python2.7'; use one of python3.9/],
      [{ handler: 'handler' }, 'handler', /use file.function/],
      [{ memory_size: 64 }, 'memory_size', /128-10240/],
      [{ timeout: 901 }, 'timeout', /1-900/],
      [{ environment: { AWS_REGION: 'x' } }, 'environment.AWS_REGION', /reserved/],
      [{ environment: { '1BAD': 'x' } }, 'environment.1BAD', /must start with a letter/],
      [{ environment: { BIG: 'x'.repeat(5000) } }, 'environment', /4 KB/],
      [{ s3_bucket: 'some-bucket', s3_key: 'a.zip' }, 'zip_file', /not both/],
      [{ zip_file: undefined }, 'zip_file', /code is missing/],
    ];
    for (const [overrides, field, message] of cases) {
      const envelope = await harness.approveAndRun('deploy_lambda', argsFor(name, overrides));
      expect(envelope, field).toMatchObject({ status: 'error', error: { code: 'invalid_input', field } });
      if (envelope.status === 'error') expect(envelope.error.message).toMatch(message);
    }
    const outside = await harness.approveAndRun('deploy_lambda', argsFor(name, { zip_file: '../x.zip' }));
    expect(outside).toMatchObject({
      status: 'error',
      error: { code: 'workspace_violation', field: 'zip_file' },
    });
    await expect(describeFunction(name)).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });

  it('refuses a zip over the 50 MB direct upload limit and points to S3', async () => {
    const path = join(harness.settings.workspace, 'huge.zip');
    writeFileSync(path, '');
    truncateSync(path, 50 * 1024 * 1024 + 1);
    const envelope = await harness.approveAndRun(
      'deploy_lambda',
      argsFor(uniqueName('huge'), { zip_file: 'huge.zip' }),
    );
    expect(envelope).toMatchObject({ status: 'error', error: { code: 'invalid_input', field: 'zip_file' } });
    if (envelope.status === 'error') expect(envelope.error.message).toMatch(/50 MB .* s3_bucket and s3_key/);
  });

  it('warns about a role of another account and reports the AWS error code', async () => {
    const name = uniqueName('foreign-role');
    const args = argsFor(name, { role_arn: 'arn:aws:iam::210987654321:role/elsewhere' });
    const preview = await harness.preview('deploy_lambda', args);
    expect(preview.status === 'ok' && preview.preview?.warnings).toEqual([
      expect.stringMatching(/belongs to account 210987654321 but the credentials are for account \d{12}/),
    ]);
    const envelope = await harness.approveAndRun('deploy_lambda', args);
    expect(envelope).toMatchObject({
      status: 'error',
      error: { code: 'aws_error', aws_code: 'AccessDeniedException' },
    });
    expect(envelope.created).toEqual([]);
  });

  it('refuses to run without approval and creates nothing', async () => {
    const name = uniqueName('unapproved');
    const envelope = await harness.run('deploy_lambda', argsFor(name));
    expect(envelope).toMatchObject({ status: 'error', error: { code: 'approval_required' } });
    await expect(describeFunction(name)).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });
});

describe('deploy_lambda through a throttling proxy', () => {
  it('retries a throttled CreateFunction and succeeds', async () => {
    await withProxiedHarness(async (harness, proxy) => {
      const role = await createExecutionRole();
      const zip = await writeZip(harness, 'app.zip', pythonApp('throttled'));
      proxy.addRule({
        match: (request) => request.method === 'POST' && request.path === '/2015-03-31/functions',
        times: 2,
        response: throttlingResponse('rest-json'),
      });
      const name = uniqueName('throttled');
      const envelope = await harness.approveAndRun<DeployLambdaResult>('deploy_lambda', {
        function_name: name,
        runtime: 'python3.12',
        handler: 'app.handler',
        role_arn: role,
        zip_file: zip,
      });
      expect(expectOk(envelope).operation).toBe('created');
      expect(proxy.faulted).toBe(2);
    });
  });
});
