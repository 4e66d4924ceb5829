/** deploy_lambda_repo's function_url: a public or IAM-signed Lambda function URL, idempotent and undone exactly. */
import {
  CreateFunctionUrlConfigCommand,
  GetFunctionCommand,
  GetFunctionUrlConfigCommand,
  GetPolicyCommand,
} from '@aws-sdk/client-lambda';
import { describe, expect, it } from 'vitest';
import type { DeployLambdaRepoResult } from '../../src/tools/github/index.js';
import { operationsOf } from '../aws/lambda-fixtures.js';
import { expectError, expectOk } from '../helpers/envelopes.js';
import { uniqueName } from '../helpers/unique-name.js';
import { lambdaRepoSuite } from './lambda-repo-suite.js';

const URL_WRITES = ['CreateFunctionUrlConfig', 'UpdateFunctionUrlConfig', 'AddPermission'];
const PUBLIC_STATEMENTS = ['aws-copilot-function-url', 'aws-copilot-function-url-invoke'];

describe('deploy_lambda_repo function_url against the sandbox', () => {
  const suite = lambdaRepoSuite('shop-url');
  const { harness } = suite;

  const argsFor = (name: string, functionUrl?: string) => ({
    repo: suite.repo,
    function_name: name,
    role_arn: suite.role,
    runtime: 'python3.11',
    ...(functionUrl ? { function_url: functionUrl } : {}),
  });
  const lambda = () => harness.aws.lambda();
  const urlConfig = (name: string) => lambda().send(new GetFunctionUrlConfigCommand({ FunctionName: name }));
  /** The function's policy statements, straight from the SDK ([] when it has no policy). */
  const statements = async (name: string): Promise<Array<Record<string, unknown>>> => {
    try {
      const answer = await lambda().send(new GetPolicyCommand({ FunctionName: name }));
      return JSON.parse(answer.Policy ?? '{}').Statement ?? [];
    } catch (error) {
      if ((error as Error).name === 'ResourceNotFoundException') return [];
      throw error;
    }
  };
  const previewOf = async (args: unknown) => {
    const envelope = await harness.preview('deploy_lambda_repo', args);
    if (envelope.status !== 'ok' || !envelope.preview) throw new Error(JSON.stringify(envelope));
    return envelope.preview;
  };
  const sids = async (name: string) => (await statements(name)).map((statement) => statement.Sid);

  it('public: creates the URL and both permissions, is idempotent, and undoes only what the call created', async () => {
    const name = uniqueName('shop-url');
    const plain = await harness.approveAndRun<DeployLambdaRepoResult>('deploy_lambda_repo', argsFor(name));
    expect(expectOk(plain).function_url).toBeUndefined();
    await expect(urlConfig(name)).rejects.toMatchObject({ name: 'ResourceNotFoundException' });

    const preview = await previewOf(argsFor(name, 'public'));
    expect(preview.changes).toEqual(
      expect.arrayContaining([
        {
          kind: 'create',
          resource: `lambda:function-url/${name}`,
          detail: 'create function URL (public: anyone can call it)',
        },
        expect.objectContaining({
          kind: 'create',
          resource: `lambda:permission/${name}/${PUBLIC_STATEMENTS[0]}`,
        }),
      ]),
    );
    expect(preview.warnings).toContainEqual(expect.stringMatching(/anyone on the internet can call/));
    await expect(urlConfig(name)).rejects.toMatchObject({ name: 'ResourceNotFoundException' });

    const publicRun = await harness.approveAndRun<DeployLambdaRepoResult>(
      'deploy_lambda_repo',
      argsFor(name, 'public'),
    );
    const result = expectOk(publicRun);
    expect(result.operation).toBe('unchanged');
    const config = await urlConfig(name);
    expect(config.AuthType).toBe('NONE');
    expect(result.function_url).toBe(config.FunctionUrl);
    expect(result.function_url).toMatch(/^https:\/\/.+\.lambda-url\.us-east-1\.on\.aws\/?$/);
    expect(publicRun.created.map((resource) => resource.type)).toEqual([
      'lambda:function-url',
      'lambda:function-permission',
      'lambda:function-permission',
    ]);
    expect(await statements(name)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          Sid: PUBLIC_STATEMENTS[0],
          Action: 'lambda:InvokeFunctionUrl',
          Principal: '*',
        }),
        expect.objectContaining({
          Sid: PUBLIC_STATEMENTS[1],
          Action: 'lambda:InvokeFunction',
          Principal: '*',
        }),
      ]),
    );

    // Again: the URL and the statements exist, so nothing is created or added twice.
    const again = await harness.approveAndRun<DeployLambdaRepoResult>(
      'deploy_lambda_repo',
      argsFor(name, 'public'),
    );
    expect(expectOk(again).function_url).toBe(config.FunctionUrl);
    expect(again.created).toEqual([]);
    expect(operationsOf(harness, again).filter((operation) => URL_WRITES.includes(operation))).toEqual([]);
    expect(await sids(name)).toEqual(PUBLIC_STATEMENTS);
    const unchanged = await previewOf(argsFor(name, 'public'));
    expect(unchanged.changes).toContainEqual({
      kind: 'no-op',
      resource: `lambda:function-url/${name}`,
      detail: `function URL exists: ${config.FunctionUrl}`,
    });
    expect(unchanged.changes.filter((change) => change.kind === 'create')).toEqual([]);
    expect((await harness.compensate(again, argsFor(name, 'public'))).status).toBe('ok');
    expect((await urlConfig(name)).FunctionUrl).toBe(config.FunctionUrl);

    // Undoing the public run removes the URL and both statements; the function it did not create stays.
    const undo = await harness.compensate(publicRun, argsFor(name, 'public'));
    expect(undo).toMatchObject({ status: 'ok', result: expect.stringMatching(/deleted the function URL/) });
    await expect(urlConfig(name)).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    expect(await sids(name)).toEqual([]);
    expect((await lambda().send(new GetFunctionCommand({ FunctionName: name }))).Configuration?.State).toBe(
      'Active',
    );

    // A URL someone else made stays when the call that only added the permissions is undone.
    const own = await lambda().send(
      new CreateFunctionUrlConfigCommand({ FunctionName: name, AuthType: 'NONE' }),
    );
    const onExisting = await harness.approveAndRun<DeployLambdaRepoResult>(
      'deploy_lambda_repo',
      argsFor(name, 'public'),
    );
    expect(expectOk(onExisting).function_url).toBe(own.FunctionUrl);
    expect(onExisting.created.map((resource) => resource.type)).toEqual([
      'lambda:function-permission',
      'lambda:function-permission',
    ]);
    expect((await harness.compensate(onExisting, argsFor(name, 'public'))).status).toBe('ok');
    expect((await urlConfig(name)).FunctionUrl).toBe(own.FunctionUrl);
    expect(await sids(name)).toEqual([]);

    expect((await harness.compensate(plain, argsFor(name))).status).toBe('ok');
    await expect(lambda().send(new GetFunctionCommand({ FunctionName: name }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
  }, 300_000);

  it('iam: AuthType AWS_IAM without the public permission; switching to public is undone back to AWS_IAM', async () => {
    const name = uniqueName('shop-iam');
    const first = await harness.approveAndRun<DeployLambdaRepoResult>(
      'deploy_lambda_repo',
      argsFor(name, 'iam'),
    );
    const result = expectOk(first);
    const config = await urlConfig(name);
    expect(config.AuthType).toBe('AWS_IAM');
    expect(result.function_url).toBe(config.FunctionUrl);
    expect(first.created.map((resource) => resource.type)).toEqual([
      'lambda:function',
      'lambda:function-url',
    ]);
    expect(await sids(name)).toEqual([]);

    const opened = await harness.approveAndRun<DeployLambdaRepoResult>(
      'deploy_lambda_repo',
      argsFor(name, 'public'),
    );
    expect(expectOk(opened).function_url).toBe(config.FunctionUrl);
    expect((await urlConfig(name)).AuthType).toBe('NONE');
    expect(opened.created.map((resource) => resource.type)).toEqual([
      'lambda:function-url-auth',
      'lambda:function-permission',
      'lambda:function-permission',
    ]);
    expect((await harness.compensate(opened, argsFor(name, 'public'))).status).toBe('ok');
    expect(await urlConfig(name)).toMatchObject({ AuthType: 'AWS_IAM', FunctionUrl: config.FunctionUrl });
    expect(await sids(name)).toEqual([]);

    const undo = await harness.compensate(first, argsFor(name, 'iam'));
    expect(undo).toMatchObject({ status: 'ok', result: expect.stringMatching(/deleted Lambda function/) });
    await expect(lambda().send(new GetFunctionCommand({ FunctionName: name }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
  }, 300_000);

  it('rejects a function_url outside none, public and iam, naming the field', async () => {
    const envelope = await harness.approveAndRun('deploy_lambda_repo', argsFor(uniqueName('bad'), 'open'));
    const error = expectError(envelope);
    expect(error).toMatchObject({ code: 'invalid_input', field: 'function_url' });
    expect(error.message).toMatch(/none, public, iam/);
    expect(envelope.created).toEqual([]);
  });
});
