/** Reading a Lambda function and waiting for it to settle, shared by the Lambda tools. */
import type * as LambdaSdk from '@aws-sdk/client-lambda';
import type { FunctionConfiguration, GetFunctionResponse, LambdaClient } from '@aws-sdk/client-lambda';
import { CopilotError } from '../../errors/copilot-error.js';
import type { ToolContext } from '../define-tool.js';
import { callAws, hasAwsCode } from './aws-error.js';
import { lambdaSdk } from './sdk.js';

/** Longest wait for a function to become Active or finish an update. */
const WAIT_SECONDS = 300;

/** GetFunction, or undefined when the function does not exist. */
export async function findFunction(
  client: LambdaClient,
  functionName: string,
  context: ToolContext,
): Promise<GetFunctionResponse | undefined> {
  try {
    return await getFunction(client, functionName, context);
  } catch (error) {
    if (hasAwsCode(error, 'ResourceNotFoundException')) return undefined;
    throw error;
  }
}

/** GetFunction of a function that must exist (ResourceNotFoundException otherwise). */
export async function getFunction(
  client: LambdaClient,
  functionName: string,
  context: ToolContext,
): Promise<GetFunctionResponse> {
  const { GetFunctionCommand } = await lambdaSdk();
  return callAws(`GetFunction ${functionName}`, () =>
    client.send(new GetFunctionCommand({ FunctionName: functionName }), { abortSignal: context.signal }),
  );
}

type WaiterParams = Parameters<typeof LambdaSdk.waitUntilFunctionActiveV2>[0];

/** Runs an SDK waiter and turns its timeout or failure into a CopilotError that says why. */
async function waitFor(
  goal: string,
  functionName: string,
  client: LambdaClient,
  context: ToolContext,
  waiter: (params: WaiterParams) => Promise<{ reason?: unknown }>,
): Promise<unknown> {
  context.progress(`waiting for ${functionName} to ${goal}`);
  try {
    const outcome = await waiter({ client, maxWaitTime: WAIT_SECONDS, abortSignal: context.signal });
    return outcome.reason;
  } catch (error) {
    if (context.signal.aborted) throw context.signal.reason;
    if ((error as Error).name === 'TimeoutError')
      throw new CopilotError(
        'timeout',
        `Lambda function ${functionName} did not ${goal} within ${WAIT_SECONDS} s`,
        { retryable: true },
      );
    // The waiter stopped on State Failed / LastUpdateStatus Failed: fetch the reason Lambda gives.
    const configuration = (await getFunction(client, functionName, context)).Configuration ?? {};
    const reason =
      configuration.LastUpdateStatusReason ?? configuration.StateReason ?? 'Lambda gave no reason';
    throw new CopilotError('aws_error', `Lambda function ${functionName} did not ${goal}: ${reason}`, {
      awsCode: configuration.LastUpdateStatusReasonCode ?? configuration.StateReasonCode,
    });
  }
}

export async function waitActive(
  client: LambdaClient,
  functionName: string,
  context: ToolContext,
): Promise<FunctionConfiguration> {
  const { waitUntilFunctionActiveV2 } = await lambdaSdk();
  const reason = await waitFor('become Active', functionName, client, context, (params) =>
    waitUntilFunctionActiveV2(params, { FunctionName: functionName }),
  );
  return (reason as GetFunctionResponse | undefined)?.Configuration ?? {};
}

export async function waitUpdated(
  client: LambdaClient,
  functionName: string,
  context: ToolContext,
): Promise<FunctionConfiguration> {
  const { waitUntilFunctionUpdatedV2 } = await lambdaSdk();
  const reason = await waitFor('finish its update', functionName, client, context, (params) =>
    waitUntilFunctionUpdatedV2(params, { FunctionName: functionName }),
  );
  return (reason as GetFunctionResponse | undefined)?.Configuration ?? {};
}

export async function waitVersionActive(
  client: LambdaClient,
  functionName: string,
  version: string,
  context: ToolContext,
): Promise<FunctionConfiguration> {
  const { waitUntilPublishedVersionActive } = await lambdaSdk();
  const reason = await waitFor(`make version ${version} Active`, functionName, client, context, (params) =>
    waitUntilPublishedVersionActive(
      { ...params, minDelay: 2 },
      { FunctionName: functionName, Qualifier: version },
    ),
  );
  return (reason as FunctionConfiguration | undefined) ?? {};
}

/** Waits out a creation or update still in progress, so the next write is not refused with a conflict. */
export async function settle(
  client: LambdaClient,
  functionName: string,
  configuration: FunctionConfiguration,
  context: ToolContext,
): Promise<FunctionConfiguration> {
  let current = configuration;
  if (current.State === 'Pending') current = await waitActive(client, functionName, context);
  if (current.LastUpdateStatus === 'InProgress') current = await waitUpdated(client, functionName, context);
  return current;
}

/** A zip function, or a clear refusal for container-image functions these tools do not deploy. */
export function requireZipPackage(functionName: string, configuration: FunctionConfiguration): void {
  if (configuration.PackageType === 'Image')
    throw new CopilotError(
      'conflict',
      `Lambda function ${functionName} is a container-image function; these tools deploy zip packages only`,
    );
}

/**
 * The function about to be changed, once a creation or update still in progress has finished (read
 * again then, so diffs and code backups see its outcome); container-image functions are refused.
 */
export async function settledZipFunction(
  client: LambdaClient,
  functionName: string,
  current: GetFunctionResponse,
  context: ToolContext,
): Promise<GetFunctionResponse> {
  const settled = await settle(client, functionName, current.Configuration ?? {}, context);
  const latest =
    settled === current.Configuration ? current : await getFunction(client, functionName, context);
  requireZipPackage(functionName, latest.Configuration ?? {});
  return latest;
}

/** The common result fields, snake_case. */
export function functionSummary(functionName: string, configuration: FunctionConfiguration) {
  return {
    function_name: configuration.FunctionName ?? functionName,
    function_arn: configuration.FunctionArn ?? '',
    code_sha256: configuration.CodeSha256 ?? '',
    state: configuration.State ?? 'Unknown',
    last_update_status: configuration.LastUpdateStatus ?? 'Successful',
  };
}
