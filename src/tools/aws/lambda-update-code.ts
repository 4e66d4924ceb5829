/** update_lambda_code: replace an existing function's code, skipping the upload when its SHA-256 is unchanged. */
import type { FunctionConfiguration } from '@aws-sdk/client-lambda';
import { z } from 'zod';
import { defineTool, type ToolContext } from '../define-tool.js';
import { callAws } from './aws-error.js';
import { backupCurrentCode, backupWarning, rememberDeployedCode } from './lambda-backup.js';
import { shortSha } from './lambda-code.js';
import {
  findFunction,
  functionSummary,
  getFunction,
  settledZipFunction,
  waitUpdated,
  waitVersionActive,
} from './lambda-function.js';
import { backupFields, recordSnapshot, undoUpdates, VERSION_TYPE } from './lambda-restore.js';
import { checkCodeSource, codeSourceShape, functionNameSchema } from './lambda-schemas.js';
import { codeFields, inspectCode, prepareCode } from './lambda-source.js';
import { regionOf, regionSchema } from './regions.js';
import { lambdaSdk } from './sdk.js';

const updateLambdaCodeInput = z
  .strictObject({
    function_name: functionNameSchema,
    ...codeSourceShape,
    region: regionSchema.optional(),
    publish: z
      .boolean()
      .default(false)
      .describe('Also publish a new version with this code (skipped when the code is unchanged)'),
  })
  .superRefine(checkCodeSource);

type UpdateCodeArgs = z.infer<typeof updateLambdaCodeInput>;

export interface UpdateLambdaCodeResult {
  function_name: string;
  function_arn: string;
  code_sha256: string;
  previous_code_sha256: string;
  state: string;
  last_update_status: string;
  operation: 'updated' | 'unchanged';
  /** The version published with this code, when `publish` was set and the code changed. */
  version: string | null;
  code_backup?: string | null;
  code_backup_note?: string;
}

async function runUpdateCode(args: UpdateCodeArgs, context: ToolContext): Promise<UpdateLambdaCodeResult> {
  const region = regionOf(args, context);
  const client = context.aws.lambda(region);
  const name = args.function_name;
  const code = await prepareCode(args, region, context);
  const current = await settledZipFunction(client, name, await getFunction(client, name, context), context);
  const before: FunctionConfiguration = current.Configuration ?? {};
  await rememberDeployedCode(code, region, name, context);
  const previous = before.CodeSha256 ?? '';
  if (previous === code.sha256)
    return {
      ...functionSummary(name, before),
      previous_code_sha256: previous,
      operation: 'unchanged',
      version: null,
    };

  const backup = await backupCurrentCode(current, region, name, context);
  recordSnapshot(context, region, name, { previous_code_sha256: previous, code_backup: backup });
  context.progress(
    `updating the code of ${name}: CodeSha256 ${shortSha(previous)} -> ${shortSha(code.sha256)}`,
  );
  const fields = await codeFields(code);
  const { UpdateFunctionCodeCommand } = await lambdaSdk();
  const response = await callAws(`UpdateFunctionCode ${name}`, () =>
    client.send(new UpdateFunctionCodeCommand({ FunctionName: name, ...fields, Publish: args.publish }), {
      abortSignal: context.signal,
    }),
  );
  const version =
    args.publish && response.Version && response.Version !== '$LATEST' ? response.Version : null;
  if (version) context.created({ type: VERSION_TYPE, id: `${name}:${version}`, region });
  const after = await waitUpdated(client, name, context);
  if (version) await waitVersionActive(client, name, version, context);
  return {
    ...functionSummary(name, after),
    previous_code_sha256: previous,
    operation: 'updated',
    version,
    ...backupFields(backup),
  };
}

export const updateLambdaCode = defineTool({
  name: 'update_lambda_code',
  description:
    "Replace an existing Lambda function's code with a zip from the workspace or S3; does nothing when the code's SHA-256 is unchanged.",
  input: updateLambdaCodeInput,
  risk: 'write',
  iam: [
    'lambda:GetFunction',
    'lambda:GetFunctionConfiguration',
    'lambda:UpdateFunctionCode',
    'lambda:PublishVersion',
    'lambda:DeleteFunction',
    's3:GetObject',
  ],
  idempotent: true,
  preview: async (args, context) => {
    const region = regionOf(args, context);
    const name = args.function_name;
    const resource = `lambda:function/${name}`;
    const inspection = await inspectCode(args, region, context);
    const current = await findFunction(context.aws.lambda(region), name, context);
    const warnings = [...inspection.warnings];
    if (!current)
      return {
        summary: `update the code of Lambda function ${name} in ${region}`,
        method: 'describe-diff',
        changes: [],
        warnings: [
          ...warnings,
          `Lambda function ${name} does not exist in ${region}; update_lambda_code only updates existing functions (deploy_lambda creates one)`,
        ],
      };
    const before = current.Configuration?.CodeSha256;
    if (inspection.sha256 !== undefined && inspection.sha256 === before)
      return {
        summary: `leave the code of ${name} as it is`,
        method: 'describe-diff',
        changes: [{ kind: 'no-op', resource, detail: `code unchanged (CodeSha256 ${shortSha(before)})` }],
        warnings,
      };
    const detail =
      inspection.sha256 === undefined
        ? `function exists: update code from ${inspection.description} (current CodeSha256 ${shortSha(before)})`
        : `function exists: update code, CodeSha256 ${shortSha(before)} -> ${shortSha(inspection.sha256)}`;
    const warning = await backupWarning(current, region, name, context);
    if (warning) warnings.push(warning);
    return {
      summary: `update the code of Lambda function ${name} in ${region}${args.publish ? ' and publish a version' : ''}`,
      method: 'describe-diff',
      changes: [{ kind: 'update', resource, detail }],
      warnings,
    };
  },
  run: runUpdateCode,
  compensate: async ({ args, created }, context) => {
    const done = await undoUpdates(created, context);
    return done.length > 0 ? done.join('; ') : `nothing to undo for Lambda function ${args.function_name}`;
  },
  resourceIds: (args) => [args.function_name],
  targets: (args) => [{ kind: 'lambda-function', name: args.function_name, region: args.region }],
});
