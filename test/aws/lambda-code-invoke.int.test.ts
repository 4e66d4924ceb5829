import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InvokeLambdaResult, UpdateLambdaCodeResult } from '../../src/tools/aws/lambda.js';
import { expectOk } from '../helpers/envelopes.js';
import { throttlingResponse } from '../helpers/fault-proxy.js';
import { createToolHarness, type ToolHarness, withProxiedHarness } from '../helpers/tool-harness.js';
import { uniqueName } from '../helpers/unique-name.js';
import { createExecutionRole, lambdaSuite, operationsOf, pythonApp, writeZip } from './lambda-fixtures.js';

async function deployFunction(harness: ToolHarness, role: string, zip: string): Promise<string> {
  const name = uniqueName('fn');
  expectOk(
    await harness.approveAndRun('deploy_lambda', {
      function_name: name,
      runtime: 'nodejs22.x',
      handler: 'index.handler',
      role_arn: role,
      zip_file: zip,
    }),
  );
  return name;
}

describe('update_lambda_code against the sandbox', () => {
  const suite = lambdaSuite(
    { 'index.js': 'exports.handler = async () => 1;\n' },
    { 'index.js': 'exports.handler = async () => 2;\n' },
  );
  const { harness, sha, describeFunction } = suite;

  it('skips the upload when the CodeSha256 is unchanged', async () => {
    const name = await deployFunction(harness, suite.role, suite.zipV1);
    const preview = await harness.preview('update_lambda_code', {
      function_name: name,
      zip_file: suite.zipV1,
    });
    expect(preview.status === 'ok' && preview.preview?.changes).toEqual([
      expect.objectContaining({ kind: 'no-op' }),
    ]);
    const envelope = await harness.approveAndRun<UpdateLambdaCodeResult>('update_lambda_code', {
      function_name: name,
      zip_file: suite.zipV1,
    });
    expect(expectOk(envelope)).toMatchObject({ operation: 'unchanged', version: null });
    expect(operationsOf(harness, envelope)).not.toContain('UpdateFunctionCode');
    expect(envelope.created).toEqual([]);
  });

  it('updates and publishes, and compensation restores the code and deletes the version', async () => {
    const name = await deployFunction(harness, suite.role, suite.zipV1);
    const args = { function_name: name, zip_file: suite.zipV2, publish: true };
    const preview = await harness.preview('update_lambda_code', args);
    expect(preview.status === 'ok' && preview.preview?.changes[0]?.detail).toMatch(
      /^function exists: update code, CodeSha256 [0-9a-f]{10} -> [0-9a-f]{10}$/,
    );
    const envelope = await harness.approveAndRun<UpdateLambdaCodeResult>('update_lambda_code', args);
    const result = expectOk(envelope);
    expect(result).toMatchObject({
      operation: 'updated',
      code_sha256: await sha(suite.zipV2),
      previous_code_sha256: await sha(suite.zipV1),
      version: '1',
      last_update_status: 'Successful',
    });
    expect(operationsOf(harness, envelope)).toContain('UpdateFunctionCode');
    expect((await describeFunction(name, '1')).Configuration?.CodeSha256).toBe(await sha(suite.zipV2));

    const undo = expectOk(await harness.compensate(envelope, args));
    expect(undo).toMatch(/deleted version 1/);
    expect(undo).toMatch(/restored the code/);
    expect((await describeFunction(name)).Configuration?.CodeSha256).toBe(await sha(suite.zipV1));
    await expect(describeFunction(name, '1')).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });

  it('reports ResourceNotFoundException for a function that does not exist', async () => {
    const envelope = await harness.approveAndRun('update_lambda_code', {
      function_name: uniqueName('missing'),
      zip_file: suite.zipV1,
    });
    expect(envelope).toMatchObject({
      status: 'error',
      error: { code: 'not_found', aws_code: 'ResourceNotFoundException' },
    });
  });

  it('rejects bad input and unapproved runs', async () => {
    const badName = await harness.approveAndRun('update_lambda_code', {
      function_name: 'a b',
      zip_file: suite.zipV1,
    });
    expect(badName).toMatchObject({
      status: 'error',
      error: { code: 'invalid_input', field: 'function_name' },
    });
    const halfS3 = await harness.approveAndRun('update_lambda_code', {
      function_name: 'x',
      s3_bucket: 'abc',
    });
    expect(halfS3).toMatchObject({ status: 'error', error: { code: 'invalid_input', field: 's3_key' } });
    const name = await deployFunction(harness, suite.role, suite.zipV1);
    const unapproved = await harness.run('update_lambda_code', {
      function_name: name,
      zip_file: suite.zipV2,
    });
    expect(unapproved).toMatchObject({ status: 'error', error: { code: 'approval_required' } });
    expect((await describeFunction(name)).Configuration?.CodeSha256).toBe(await sha(suite.zipV1));
  });
});

describe('invoke_lambda against the sandbox', () => {
  const harness = createToolHarness();
  let name = '';
  afterAll(() => harness.close());
  beforeAll(async () => {
    const role = await createExecutionRole();
    name = await deployFunction(harness, role, await writeZip(harness, 'app.zip', pythonApp('hi')));
  });

  // With use_docker false the emulator runs no code: a synchronous invocation answers 200 and
  // echoes the payload back (or 'Simple Lambda happy path OK' without one), with no log tail.
  it('invokes synchronously and decodes the JSON answer', async () => {
    const envelope = await harness.approveAndRun<InvokeLambdaResult>('invoke_lambda', {
      function_name: name,
      payload: { path: '/health', n: 1 },
    });
    expect(expectOk(envelope)).toMatchObject({
      function_name: name,
      invocation_type: 'RequestResponse',
      status_code: 200,
      function_error: null,
      payload: { path: '/health', n: 1 },
      payload_format: 'json',
    });
    expect(operationsOf(harness, envelope)).toEqual(['GetFunctionConfiguration', 'Invoke']);
  });

  it('returns a text answer as text', async () => {
    const result = expectOk(
      await harness.approveAndRun<InvokeLambdaResult>('invoke_lambda', { function_name: name }),
    );
    expect(result).toMatchObject({ payload: 'Simple Lambda happy path OK', payload_format: 'text' });
  });

  it('queues an Event invocation (202)', async () => {
    const result = expectOk(
      await harness.approveAndRun<InvokeLambdaResult>('invoke_lambda', {
        function_name: name,
        invocation_type: 'Event',
        payload: { job: 1 },
      }),
    );
    expect(result.status_code).toBe(202);
  });

  it('runs a DryRun without approval, as a read', async () => {
    const envelope = await harness.run<InvokeLambdaResult>('invoke_lambda', {
      function_name: name,
      invocation_type: 'DryRun',
    });
    expect(expectOk(envelope).status_code).toBe(204);
  });

  it('previews with a DryRun invocation and warns about a missing function', async () => {
    const preview = await harness.preview('invoke_lambda', { function_name: name, payload: { a: 1 } });
    expect(preview.status === 'ok' && preview.preview).toMatchObject({
      method: 'aws-dry-run',
      changes: [{ kind: 'update' }],
      warnings: [],
    });
    expect(operationsOf(harness, preview)).toEqual(['GetFunctionConfiguration', 'Invoke']);
    const missing = await harness.preview('invoke_lambda', { function_name: 'no-such-function-here' });
    expect(missing.status === 'ok' && missing.preview?.warnings).toEqual([
      expect.stringMatching(/does not exist/),
    ]);
  });

  it('reports ResourceNotFoundException for a missing function', async () => {
    const envelope = await harness.approveAndRun('invoke_lambda', { function_name: uniqueName('gone') });
    expect(envelope).toMatchObject({
      status: 'error',
      error: { code: 'not_found', aws_code: 'ResourceNotFoundException' },
    });
  });

  it('rejects bad input and refuses an unapproved invocation', async () => {
    const bad = await harness.approveAndRun('invoke_lambda', { function_name: name, invocation_type: 'Now' });
    expect(bad).toMatchObject({
      status: 'error',
      error: { code: 'invalid_input', field: 'invocation_type' },
    });
    const badQualifier = await harness.approveAndRun('invoke_lambda', {
      function_name: name,
      qualifier: 'a b',
    });
    expect(badQualifier).toMatchObject({
      status: 'error',
      error: { code: 'invalid_input', field: 'qualifier' },
    });
    const refused = await harness.run('invoke_lambda', { function_name: name });
    expect(refused).toMatchObject({ status: 'error', error: { code: 'approval_required' } });
    expect(operationsOf(harness, refused)).toEqual([]);
  });

  it('retries a throttled Invoke', async () => {
    await withProxiedHarness(async (proxied, proxy) => {
      proxy.addRule({
        match: (request) =>
          request.method === 'POST' && request.path.startsWith(`/2015-03-31/functions/${name}/invocations`),
        times: 2,
        response: throttlingResponse('rest-json'),
      });
      const result = expectOk(
        await proxied.approveAndRun<InvokeLambdaResult>('invoke_lambda', { function_name: name, payload: 1 }),
      );
      expect(result).toMatchObject({ status_code: 200, payload: 1 });
      expect(proxy.faulted).toBe(2);
    });
  });
});
