/** invoke_lambda: call a function once and report its answer; irreversible, the function may act on the world. */
import type { InvocationResponse, InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { z } from 'zod';
import { redactor } from '../../guardrails/redaction.js';
import { defineTool, type PreviewChange, type ToolContext, type ToolPreview } from '../define-tool.js';
import { callAws, hasAwsCode } from './aws-error.js';
import { settle } from './lambda-function.js';
import { functionNameSchema, qualifierSchema } from './lambda-schemas.js';
import { regionOf, regionSchema } from './regions.js';
import { lambdaSdk } from './sdk.js';

const MEGABYTE = 1024 * 1024;
/** Lambda's request payload limits: 6 MB for a synchronous call, 1 MB for an asynchronous one. */
const PAYLOAD_LIMIT = { RequestResponse: 6 * MEGABYTE, DryRun: 6 * MEGABYTE, Event: MEGABYTE };

const invokeLambdaInput = z
  .strictObject({
    function_name: functionNameSchema,
    payload: z.json().optional().describe('JSON event to send to the function, e.g. {"path": "/health"}'),
    region: regionSchema.optional(),
    invocation_type: z
      .enum(['RequestResponse', 'Event', 'DryRun'], {
        error: 'invocation_type is RequestResponse (wait for the answer), Event (asynchronous) or DryRun',
      })
      .default('RequestResponse')
      .describe('RequestResponse waits for the answer, Event queues the call, DryRun only checks access'),
    qualifier: qualifierSchema.optional(),
  })
  .superRefine((args, context) => {
    if (args.payload === undefined) return;
    const size = Buffer.byteLength(JSON.stringify(args.payload));
    const limit = PAYLOAD_LIMIT[args.invocation_type];
    if (size > limit)
      context.addIssue({
        code: 'custom',
        path: ['payload'],
        message: `payload is ${size} bytes; Lambda accepts at most ${limit / MEGABYTE} MB for ${args.invocation_type} invocations`,
      });
  });

type InvokeArgs = z.infer<typeof invokeLambdaInput>;

export interface InvokeLambdaResult {
  function_name: string;
  invocation_type: InvokeArgs['invocation_type'];
  status_code: number;
  /** `Handled` / `Unhandled` when the function itself failed; null when it did not. */
  function_error: string | null;
  executed_version: string | null;
  /** The answer, parsed when it is JSON; null when there was none. */
  payload: unknown;
  payload_format: 'json' | 'text' | 'empty';
  /** The last 4 KB of the execution log, secrets masked (synchronous calls only). */
  log_tail: string | null;
}

async function invokeCommand(
  args: InvokeArgs,
  invocationType: InvokeArgs['invocation_type'],
): Promise<InvokeCommand> {
  const { InvokeCommand } = await lambdaSdk();
  return new InvokeCommand({
    FunctionName: args.function_name,
    InvocationType: invocationType,
    ...(invocationType === 'RequestResponse' ? { LogType: 'Tail' as const } : {}),
    ...(args.qualifier ? { Qualifier: args.qualifier } : {}),
    ...(args.payload !== undefined ? { Payload: Buffer.from(JSON.stringify(args.payload)) } : {}),
  });
}

async function getConfiguration(client: LambdaClient, args: InvokeArgs, context: ToolContext) {
  const { GetFunctionConfigurationCommand } = await lambdaSdk();
  const target = args.qualifier ? `${args.function_name}:${args.qualifier}` : args.function_name;
  return callAws(`GetFunctionConfiguration ${target}`, () =>
    client.send(
      new GetFunctionConfigurationCommand({
        FunctionName: args.function_name,
        ...(args.qualifier ? { Qualifier: args.qualifier } : {}),
      }),
      { abortSignal: context.signal },
    ),
  );
}

function decodePayload(response: InvocationResponse): Pick<InvokeLambdaResult, 'payload' | 'payload_format'> {
  const text = new TextDecoder().decode(response.Payload ?? new Uint8Array());
  if (text === '') return { payload: null, payload_format: 'empty' };
  try {
    return { payload: JSON.parse(text), payload_format: 'json' };
  } catch {
    return { payload: text, payload_format: 'text' };
  }
}

async function runInvoke(args: InvokeArgs, context: ToolContext): Promise<InvokeLambdaResult> {
  const region = regionOf(args, context);
  const client = context.aws.lambda(region);
  // One read first: a function still being created or updated is waited for instead of failing with a
  // conflict, and a missing function fails clearly (the local emulator would answer any name).
  const configuration = await getConfiguration(client, args, context);
  await settle(client, args.function_name, configuration, context);
  context.progress(`invoking ${args.function_name} (${args.invocation_type})`);
  const invoke = await invokeCommand(args, args.invocation_type);
  const response = await callAws(`Invoke ${args.function_name}`, () =>
    client.send(invoke, { abortSignal: context.signal }),
  );
  return {
    function_name: args.function_name,
    invocation_type: args.invocation_type,
    status_code: response.StatusCode ?? 0,
    function_error: response.FunctionError ?? null,
    executed_version: response.ExecutedVersion ?? null,
    ...decodePayload(response),
    log_tail: response.LogResult
      ? redactor.text(Buffer.from(response.LogResult, 'base64').toString('utf8'))
      : null,
  };
}

async function previewInvoke(args: InvokeArgs, context: ToolContext): Promise<ToolPreview> {
  const region = regionOf(args, context);
  const client = context.aws.lambda(region);
  const target = `${args.function_name}${args.qualifier ? `:${args.qualifier}` : ''}`;
  const resource = `lambda:function/${target}`;
  try {
    await getConfiguration(client, args, context);
  } catch (error) {
    if (!hasAwsCode(error, 'ResourceNotFoundException')) throw error;
    return {
      summary: `invoke Lambda function ${target} in ${region}`,
      method: 'describe-diff',
      changes: [],
      warnings: [`Lambda function ${target} does not exist in ${region}`],
    };
  }
  // Lambda's own dry run checks the caller may invoke the function, without running it.
  const warnings: string[] = [];
  const dryRun = await invokeCommand(args, 'DryRun');
  try {
    await client.send(dryRun, { abortSignal: context.signal });
  } catch (error) {
    warnings.push(`the DryRun invocation failed: ${(error as Error).name}: ${(error as Error).message}`);
  }
  const payloadSize = args.payload === undefined ? 0 : Buffer.byteLength(JSON.stringify(args.payload));
  const change: PreviewChange =
    args.invocation_type === 'DryRun'
      ? { kind: 'read', resource, detail: 'check permission to invoke (DryRun), the code does not run' }
      : {
          kind: 'update',
          resource,
          detail: `run the function once (${args.invocation_type}, ${payloadSize}-byte payload); whatever it does cannot be undone`,
        };
  return {
    summary: `invoke Lambda function ${target} in ${region}`,
    method: 'aws-dry-run',
    changes: [change],
    warnings,
  };
}

export const invokeLambda = defineTool<typeof invokeLambdaInput, InvokeLambdaResult>({
  name: 'invoke_lambda',
  description:
    'Invoke a Lambda function once with a JSON payload and return its status, answer, function error and log tail. Irreversible: the function may change things.',
  input: invokeLambdaInput,
  risk: 'write',
  // A dry run only checks access; it runs no code.
  riskOf: (args) => (args.invocation_type === 'DryRun' ? 'read' : 'write'),
  iam: ['lambda:InvokeFunction', 'lambda:GetFunctionConfiguration', 'lambda:GetFunction'],
  irreversible: true,
  preview: previewInvoke,
  run: runInvoke,
  resourceIds: (args) => [args.function_name],
  targets: (args) => [{ kind: 'lambda-function', name: args.function_name, region: args.region }],
});
