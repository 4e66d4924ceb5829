/** deploy_lambda: create a zip-packaged function, or bring an existing one to the given code and configuration. */
import { setTimeout as sleep } from 'node:timers/promises';
import type {
  CreateFunctionRequest,
  FunctionConfiguration,
  GetFunctionResponse,
  LambdaClient,
} from '@aws-sdk/client-lambda';
import { z } from 'zod';
import { defineTool, type ToolContext } from '../define-tool.js';
import { callAws, hasAwsCode } from './aws-error.js';
import { backupCurrentCode, rememberDeployedCode, saveConfigurationSnapshot } from './lambda-backup.js';
import { shortSha } from './lambda-code.js';
import { configurationDiff } from './lambda-config.js';
import { previewDeploy } from './lambda-deploy-preview.js';
import {
  findFunction,
  functionSummary,
  settledZipFunction,
  waitActive,
  waitUpdated,
} from './lambda-function.js';
import { backupFields, recordSnapshot, undoUpdates } from './lambda-restore.js';
import {
  checkCodeSource,
  checkHandler,
  codeSourceShape,
  environmentSchema,
  functionNameSchema,
  handlerSchema,
  roleArnSchema,
  runtimeSchema,
} from './lambda-schemas.js';
import { codeFields, type PreparedCode, prepareCode } from './lambda-source.js';
import { regionOf, regionSchema } from './regions.js';
import { lambdaSdk } from './sdk.js';

export const FUNCTION_TYPE = 'lambda:function';

const deployLambdaInput = z
  .strictObject({
    function_name: functionNameSchema,
    region: regionSchema.optional(),
    runtime: runtimeSchema,
    handler: handlerSchema,
    role_arn: roleArnSchema,
    ...codeSourceShape,
    environment: environmentSchema
      .optional()
      .describe('Environment variables; omitted leaves them as they are, {} removes them all'),
    memory_size: z
      .int()
      .min(128, 'memory_size is 128-10240 MB')
      .max(10240, 'memory_size is 128-10240 MB')
      .optional()
      .describe('Memory in MB, 128-10240 (128 for a new function when omitted)'),
    timeout: z
      .int()
      .min(1, 'timeout is 1-900 seconds')
      .max(900, 'timeout is 1-900 seconds')
      .optional()
      .describe('Timeout in seconds, 1-900 (3 for a new function when omitted)'),
    description: z
      .string()
      .max(256, 'description is at most 256 characters')
      .optional()
      .describe('Function description, up to 256 characters; omitted leaves it as it is'),
  })
  .superRefine((args, context) => {
    checkCodeSource(args, context);
    checkHandler(args, context);
  });

type DeployArgs = z.infer<typeof deployLambdaInput>;

export interface DeployLambdaResult {
  function_name: string;
  function_arn: string;
  code_sha256: string;
  state: string;
  last_update_status: string;
  operation: 'created' | 'updated' | 'unchanged';
  /** On update: the CodeSha256 before, and where that code was saved for rollback (null when it could not be). */
  previous_code_sha256?: string;
  code_backup?: string | null;
  code_backup_note?: string;
}

/** Lambda may not assume a role created seconds ago: IAM is eventually consistent, so try again a few times. */
async function withRolePropagation<T>(call: () => Promise<T>, context: ToolContext): Promise<T> {
  for (const delaySeconds of [2, 4, 8]) {
    try {
      return await call();
    } catch (error) {
      if (!hasAwsCode(error, 'InvalidParameterValueException') || !/cannot be assumed/i.test(String(error)))
        throw error;
      context.progress(`the execution role is not assumable yet; retrying in ${delaySeconds} s`);
      await sleep(delaySeconds * 1000, undefined, { signal: context.signal });
    }
  }
  return call();
}

async function createFunction(
  args: DeployArgs,
  code: PreparedCode,
  client: LambdaClient,
  region: string,
  context: ToolContext,
): Promise<DeployLambdaResult> {
  const request: CreateFunctionRequest = {
    FunctionName: args.function_name,
    Runtime: args.runtime,
    Handler: args.handler,
    Role: args.role_arn,
    Code: await codeFields(code),
    PackageType: 'Zip',
    ...(args.memory_size !== undefined ? { MemorySize: args.memory_size } : {}),
    ...(args.timeout !== undefined ? { Timeout: args.timeout } : {}),
    ...(args.description !== undefined ? { Description: args.description } : {}),
    ...(args.environment !== undefined ? { Environment: { Variables: args.environment } } : {}),
  };
  const { CreateFunctionCommand } = await lambdaSdk();
  context.progress(`creating Lambda function ${args.function_name}`);
  const created = await withRolePropagation(
    () =>
      callAws(`CreateFunction ${args.function_name}`, () =>
        client.send(new CreateFunctionCommand(request), { abortSignal: context.signal }),
      ),
    context,
  );
  context.created({
    type: FUNCTION_TYPE,
    id: args.function_name,
    region,
    detail: { function_arn: created.FunctionArn },
  });
  const configuration = await waitActive(client, args.function_name, context);
  await rememberDeployedCode(code, region, args.function_name, context);
  return { ...functionSummary(args.function_name, configuration), operation: 'created' };
}

async function updateFunction(
  args: DeployArgs,
  code: PreparedCode,
  existing: GetFunctionResponse,
  client: LambdaClient,
  region: string,
  context: ToolContext,
): Promise<DeployLambdaResult> {
  const name = args.function_name;
  const current = await settledZipFunction(client, name, existing, context);
  const before: FunctionConfiguration = current.Configuration ?? {};
  await rememberDeployedCode(code, region, name, context);
  const codeChanged = before.CodeSha256 !== code.sha256;
  const diff = configurationDiff(before, args);
  if (!codeChanged && diff.changes.length === 0)
    return { ...functionSummary(name, before), operation: 'unchanged' };

  const backup = codeChanged
    ? await backupCurrentCode(current, region, name, context)
    : { kind: 'none' as const, reason: 'the code was not changed' };
  const snapshot =
    diff.changes.length > 0
      ? await saveConfigurationSnapshot(diff.previous, region, name, context)
      : undefined;
  recordSnapshot(context, region, name, {
    previous_code_sha256: before.CodeSha256 ?? '',
    code_backup: backup,
    ...(snapshot ? { configuration_snapshot: snapshot } : {}),
  });

  const { UpdateFunctionCodeCommand, UpdateFunctionConfigurationCommand } = await lambdaSdk();
  let after = before;
  if (codeChanged) {
    context.progress(
      `updating the code of ${name}: CodeSha256 ${shortSha(before.CodeSha256)} -> ${shortSha(code.sha256)}`,
    );
    const fields = await codeFields(code);
    await callAws(`UpdateFunctionCode ${name}`, () =>
      client.send(new UpdateFunctionCodeCommand({ FunctionName: name, ...fields }), {
        abortSignal: context.signal,
      }),
    );
    after = await waitUpdated(client, name, context);
  }
  if (diff.changes.length > 0) {
    context.progress(`updating the configuration of ${name}: ${diff.changes.join(', ')}`);
    await withRolePropagation(
      () =>
        callAws(`UpdateFunctionConfiguration ${name}`, () =>
          client.send(new UpdateFunctionConfigurationCommand({ FunctionName: name, ...diff.update }), {
            abortSignal: context.signal,
          }),
        ),
      context,
    );
    after = await waitUpdated(client, name, context);
  }
  return {
    ...functionSummary(name, after),
    operation: 'updated',
    previous_code_sha256: before.CodeSha256 ?? '',
    ...(codeChanged ? backupFields(backup) : {}),
  };
}

export const deployLambda = defineTool({
  name: 'deploy_lambda',
  description:
    'Create a Lambda function from a zip (workspace file or S3 object), or update an existing one: code only when its SHA-256 differs, configuration only when a field differs.',
  input: deployLambdaInput,
  risk: 'write',
  iam: [
    'lambda:GetFunction',
    'lambda:CreateFunction',
    'lambda:UpdateFunctionCode',
    'lambda:UpdateFunctionConfiguration',
    'lambda:DeleteFunction',
    'iam:PassRole',
    's3:GetObject',
    'sts:GetCallerIdentity',
  ],
  idempotent: true,
  preview: previewDeploy,
  run: async (args, context): Promise<DeployLambdaResult> => {
    const region = regionOf(args, context);
    const client = context.aws.lambda(region);
    const code = await prepareCode(args, region, context);
    const existing = await findFunction(client, args.function_name, context);
    return existing
      ? updateFunction(args, code, existing, client, region, context)
      : createFunction(args, code, client, region, context);
  },
  compensate: async ({ args, created }, context) => {
    const createdFunction = created.find((resource) => resource.type === FUNCTION_TYPE);
    if (createdFunction) {
      const { DeleteFunctionCommand } = await lambdaSdk();
      try {
        await callAws(`DeleteFunction ${createdFunction.id}`, () =>
          context.aws
            .lambda(createdFunction.region)
            .send(new DeleteFunctionCommand({ FunctionName: createdFunction.id }), {
              abortSignal: context.signal,
            }),
        );
        return `deleted Lambda function ${createdFunction.id}`;
      } catch (error) {
        if (hasAwsCode(error, 'ResourceNotFoundException'))
          return `Lambda function ${createdFunction.id} was already deleted`;
        throw error;
      }
    }
    const done = await undoUpdates(created, context);
    return done.length > 0 ? done.join('; ') : `nothing to undo for Lambda function ${args.function_name}`;
  },
  resourceIds: (args) => [args.function_name],
  targets: (args) => [{ kind: 'lambda-function', name: args.function_name, region: args.region }],
});
