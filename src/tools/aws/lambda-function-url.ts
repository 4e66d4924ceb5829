/** Lambda function URLs: the https address a deployed web API answers at (public or IAM-signed), and undoing them. */
import type {
  AddPermissionRequest,
  FunctionUrlAuthType,
  GetFunctionUrlConfigResponse,
  LambdaClient,
} from '@aws-sdk/client-lambda';
import { z } from 'zod';
import type { CreatedResource, PreviewChange, ToolContext } from '../define-tool.js';
import { callAws, hasAwsCode } from './aws-error.js';
import { lambdaSdk } from './sdk.js';

export const FUNCTION_URL_ACCESS = ['none', 'public', 'iam'] as const;

export const functionUrlSchema = z.enum(FUNCTION_URL_ACCESS, {
  error: (issue) =>
    `function_url '${String(issue.input)}' is not allowed; use one of ${FUNCTION_URL_ACCESS.join(', ')}`,
});

export type FunctionUrlAccess = z.infer<typeof functionUrlSchema>;

/** A function URL config this call created; rollback deletes it. */
export const FUNCTION_URL_TYPE = 'lambda:function-url';
/** An existing function URL whose AuthType this call changed; rollback puts the previous one back. */
export const FUNCTION_URL_AUTH_TYPE = 'lambda:function-url-auth';
/** A statement this call added to the function's resource policy; rollback removes it. */
export const FUNCTION_PERMISSION_TYPE = 'lambda:function-permission';

export const FUNCTION_URL_IAM = [
  'lambda:CreateFunctionUrlConfig',
  'lambda:GetFunctionUrlConfig',
  'lambda:UpdateFunctionUrlConfig',
  'lambda:DeleteFunctionUrlConfig',
  'lambda:GetPolicy',
  'lambda:AddPermission',
  'lambda:RemovePermission',
];

const AUTH_TYPES: Record<Exclude<FunctionUrlAccess, 'none'>, FunctionUrlAuthType> = {
  public: 'NONE',
  iam: 'AWS_IAM',
};

const ACCESS_TEXT: Record<Exclude<FunctionUrlAccess, 'none'>, string> = {
  public: 'public: anyone can call it',
  iam: 'iam: callers must sign requests with AWS credentials',
};

export const PUBLIC_STATEMENT_ID = 'aws-copilot-function-url';

type Statement = Omit<AddPermissionRequest, 'FunctionName'> & { StatementId: string };

/**
 * What a public URL needs in the function's policy. Function URLs created since October 2025 need
 * lambda:InvokeFunction besides lambda:InvokeFunctionUrl; InvokedViaFunctionUrl limits that one to
 * calls through the URL, so nobody gains a way to invoke the function directly.
 */
const PUBLIC_STATEMENTS: Statement[] = [
  {
    StatementId: PUBLIC_STATEMENT_ID,
    Action: 'lambda:InvokeFunctionUrl',
    Principal: '*',
    FunctionUrlAuthType: 'NONE',
  },
  {
    StatementId: `${PUBLIC_STATEMENT_ID}-invoke`,
    Action: 'lambda:InvokeFunction',
    Principal: '*',
    InvokedViaFunctionUrl: true,
  },
];

const policyDocument = z.object({
  Statement: z.array(z.object({ Sid: z.string().optional() })).optional(),
});

/** GetFunctionUrlConfig, or undefined when the function (or its URL) does not exist. */
async function findUrlConfig(
  client: LambdaClient,
  functionName: string,
  context: ToolContext,
): Promise<GetFunctionUrlConfigResponse | undefined> {
  const { GetFunctionUrlConfigCommand } = await lambdaSdk();
  try {
    return await callAws(`GetFunctionUrlConfig ${functionName}`, () =>
      client.send(new GetFunctionUrlConfigCommand({ FunctionName: functionName }), {
        abortSignal: context.signal,
      }),
    );
  } catch (error) {
    if (hasAwsCode(error, 'ResourceNotFoundException')) return undefined;
    throw error;
  }
}

/** The statement ids in the function's resource policy (none when it has no policy or does not exist). */
async function statementIds(client: LambdaClient, functionName: string, context: ToolContext) {
  const { GetPolicyCommand } = await lambdaSdk();
  try {
    const answer = await callAws(`GetPolicy ${functionName}`, () =>
      client.send(new GetPolicyCommand({ FunctionName: functionName }), { abortSignal: context.signal }),
    );
    const policy = policyDocument.parse(JSON.parse(answer.Policy ?? '{}'));
    return new Set((policy.Statement ?? []).flatMap((statement) => statement.Sid ?? []));
  } catch (error) {
    if (hasAwsCode(error, 'ResourceNotFoundException')) return new Set<string>();
    throw error;
  }
}

/** The changes a deploy with this function_url would make to the URL and the policy, read-only. */
export async function previewFunctionUrl(
  functionName: string,
  access: FunctionUrlAccess,
  region: string,
  context: ToolContext,
): Promise<{ changes: PreviewChange[]; warnings: string[] }> {
  if (access === 'none') return { changes: [], warnings: [] };
  const client = context.aws.lambda(region);
  const authType = AUTH_TYPES[access];
  const resource = `lambda:function-url/${functionName}`;
  const existing = await findUrlConfig(client, functionName, context);
  const changes: PreviewChange[] = [];
  if (!existing)
    changes.push({ kind: 'create', resource, detail: `create function URL (${ACCESS_TEXT[access]})` });
  else if (existing.AuthType === authType)
    changes.push({ kind: 'no-op', resource, detail: `function URL exists: ${existing.FunctionUrl}` });
  else
    changes.push({
      kind: 'update',
      resource,
      detail: `function URL exists: change AuthType ${existing.AuthType} -> ${authType} (${ACCESS_TEXT[access]})`,
    });
  if (access === 'iam') return { changes, warnings: [] };
  const present = await statementIds(client, functionName, context);
  for (const statement of PUBLIC_STATEMENTS.filter((candidate) => !present.has(candidate.StatementId)))
    changes.push({
      kind: 'create',
      resource: `lambda:permission/${functionName}/${statement.StatementId}`,
      detail: `allow principal * ${statement.Action} through the function URL`,
    });
  const address = existing?.FunctionUrl ?? 'the function URL';
  return {
    changes,
    warnings: [
      `function_url public: anyone on the internet can call ${address} without credentials; use 'iam' to require signed requests`,
    ],
  };
}

async function ensureUrlConfig(
  client: LambdaClient,
  functionName: string,
  authType: FunctionUrlAuthType,
  region: string,
  context: ToolContext,
): Promise<string | undefined> {
  const existing = await findUrlConfig(client, functionName, context);
  if (existing?.AuthType === authType) return existing.FunctionUrl;
  const { CreateFunctionUrlConfigCommand, UpdateFunctionUrlConfigCommand } = await lambdaSdk();
  if (!existing) {
    context.progress(`creating the function URL of ${functionName} (AuthType ${authType})`);
    const created = await callAws(`CreateFunctionUrlConfig ${functionName}`, () =>
      client.send(new CreateFunctionUrlConfigCommand({ FunctionName: functionName, AuthType: authType }), {
        abortSignal: context.signal,
      }),
    );
    context.created({
      type: FUNCTION_URL_TYPE,
      id: functionName,
      region,
      detail: { function_url: created.FunctionUrl },
    });
    return created.FunctionUrl;
  }
  context.progress(
    `changing the function URL of ${functionName}: AuthType ${existing.AuthType} -> ${authType}`,
  );
  const updated = await callAws(`UpdateFunctionUrlConfig ${functionName}`, () =>
    client.send(new UpdateFunctionUrlConfigCommand({ FunctionName: functionName, AuthType: authType }), {
      abortSignal: context.signal,
    }),
  );
  context.created({
    type: FUNCTION_URL_AUTH_TYPE,
    id: functionName,
    region,
    detail: { previous_auth_type: existing.AuthType },
  });
  return updated.FunctionUrl ?? existing.FunctionUrl;
}

async function ensurePublicPermissions(
  client: LambdaClient,
  functionName: string,
  region: string,
  context: ToolContext,
): Promise<void> {
  const present = await statementIds(client, functionName, context);
  const { AddPermissionCommand } = await lambdaSdk();
  for (const statement of PUBLIC_STATEMENTS) {
    if (present.has(statement.StatementId)) continue;
    try {
      await callAws(`AddPermission ${functionName} ${statement.StatementId}`, () =>
        client.send(new AddPermissionCommand({ FunctionName: functionName, ...statement }), {
          abortSignal: context.signal,
        }),
      );
    } catch (error) {
      // Added meanwhile by someone else: it is there, and not this call's to remove. A conflict
      // for another reason (an update still in progress) stays an error.
      if (
        hasAwsCode(error, 'ResourceConflictException') &&
        (await statementIds(client, functionName, context)).has(statement.StatementId)
      )
        continue;
      throw error;
    }
    context.created({
      type: FUNCTION_PERMISSION_TYPE,
      id: functionName,
      region,
      detail: { statement_id: statement.StatementId },
    });
  }
}

/** Gives the function a URL with the access asked for; returns the URL (undefined for 'none'). */
export async function ensureFunctionUrl(
  functionName: string,
  access: FunctionUrlAccess,
  region: string,
  context: ToolContext,
): Promise<string | undefined> {
  if (access === 'none') return undefined;
  const client = context.aws.lambda(region);
  const url = await ensureUrlConfig(client, functionName, AUTH_TYPES[access], region, context);
  if (access === 'public') await ensurePublicPermissions(client, functionName, region, context);
  return url;
}

/** Runs an undo call; a function or URL already gone counts as undone. */
async function undoCall(what: string, done: string, call: () => Promise<unknown>): Promise<string> {
  try {
    await callAws(what, call);
    return done;
  } catch (error) {
    if (hasAwsCode(error, 'ResourceNotFoundException')) return `${done} (it was already gone)`;
    throw error;
  }
}

const URL_TYPES = new Set([FUNCTION_PERMISSION_TYPE, FUNCTION_URL_TYPE, FUNCTION_URL_AUTH_TYPE]);

async function undoOne(resource: CreatedResource, context: ToolContext): Promise<string | undefined> {
  if (!URL_TYPES.has(resource.type)) return undefined;
  const { DeleteFunctionUrlConfigCommand, RemovePermissionCommand, UpdateFunctionUrlConfigCommand } =
    await lambdaSdk();
  const client = context.aws.lambda(resource.region);
  const name = resource.id;
  const options = { abortSignal: context.signal };
  if (resource.type === FUNCTION_PERMISSION_TYPE) {
    const statementId = String(resource.detail?.statement_id);
    return undoCall(
      `RemovePermission ${name} ${statementId}`,
      `removed permission ${statementId} of ${name}`,
      () =>
        client.send(new RemovePermissionCommand({ FunctionName: name, StatementId: statementId }), options),
    );
  }
  if (resource.type === FUNCTION_URL_TYPE)
    return undoCall(`DeleteFunctionUrlConfig ${name}`, `deleted the function URL of ${name}`, () =>
      client.send(new DeleteFunctionUrlConfigCommand({ FunctionName: name }), options),
    );
  const previous = resource.detail?.previous_auth_type as FunctionUrlAuthType;
  return undoCall(
    `UpdateFunctionUrlConfig ${name}`,
    `set the function URL of ${name} back to AuthType ${previous}`,
    () =>
      client.send(new UpdateFunctionUrlConfigCommand({ FunctionName: name, AuthType: previous }), options),
  );
}

/** Undoes the function URL changes recorded in `created`, newest first; other entries are left alone. */
export async function undoFunctionUrl(created: CreatedResource[], context: ToolContext): Promise<string[]> {
  const done: string[] = [];
  for (const resource of [...created].reverse()) {
    const undone = await undoOne(resource, context);
    if (undone) done.push(undone);
  }
  return done;
}
