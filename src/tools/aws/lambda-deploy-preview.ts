/** The preview of deploy_lambda: a describe-based diff of code and configuration, and what would fail. */
import type { PreviewChange, ToolContext, ToolPreview } from '../define-tool.js';
import { backupWarning } from './lambda-backup.js';
import { shortSha } from './lambda-code.js';
import { configurationDiff, type DesiredConfiguration } from './lambda-config.js';
import { findFunction } from './lambda-function.js';
import type { CodeSourceArgs } from './lambda-schemas.js';
import { inspectCode } from './lambda-source.js';
import { regionOf } from './regions.js';
import { stsSdk } from './sdk.js';

export type DeployPreviewArgs = DesiredConfiguration &
  CodeSourceArgs & { function_name: string; region?: string | undefined };

/** A cross-account execution role is refused by Lambda; say so before anything runs. */
async function roleWarning(roleArn: string, region: string, context: ToolContext): Promise<string[]> {
  const roleAccount = roleArn.split(':')[4];
  try {
    const { GetCallerIdentityCommand } = await stsSdk();
    const identity = await context.aws
      .sts(region)
      .send(new GetCallerIdentityCommand({}), { abortSignal: context.signal });
    if (identity.Account && identity.Account !== roleAccount)
      return [
        `role_arn belongs to account ${roleAccount} but the credentials are for account ${identity.Account}; Lambda needs an execution role of the same account`,
      ];
  } catch {
    // The preview still shows the diff; a credentials problem surfaces in the describe call below.
  }
  return [];
}

export async function previewDeploy(args: DeployPreviewArgs, context: ToolContext): Promise<ToolPreview> {
  const region = regionOf(args, context);
  const client = context.aws.lambda(region);
  const name = args.function_name;
  const inspection = await inspectCode(args, region, context);
  const warnings = [...inspection.warnings, ...(await roleWarning(args.role_arn, region, context))];
  const existing = await findFunction(client, name, context);
  const resource = `lambda:function/${name}`;
  if (!existing) {
    const detail = `create function ${name} (${args.runtime}, handler ${args.handler}, ${args.memory_size ?? 128} MB, ${args.timeout ?? 3} s) from ${inspection.description}, CodeSha256 ${shortSha(inspection.sha256)}`;
    return {
      summary: `create Lambda function ${name} in ${region}`,
      method: 'describe-diff',
      changes: [{ kind: 'create', resource, detail }],
      warnings,
    };
  }
  const current = existing.Configuration ?? {};
  if (current.PackageType === 'Image')
    warnings.push(`${name} is a container-image function; it cannot take a zip`);
  const changes: PreviewChange[] = [];
  if (inspection.sha256 === undefined) {
    changes.push({
      kind: 'update',
      resource,
      detail: `function exists: update code from ${inspection.description} unless equal to the current CodeSha256 ${shortSha(current.CodeSha256)}`,
    });
  } else if (inspection.sha256 !== current.CodeSha256) {
    changes.push({
      kind: 'update',
      resource,
      detail: `function exists: update code, CodeSha256 ${shortSha(current.CodeSha256)} -> ${shortSha(inspection.sha256)}`,
    });
  }
  if (changes.length > 0) {
    const warning = await backupWarning(existing, region, name, context);
    if (warning) warnings.push(warning);
  }
  for (const line of configurationDiff(current, args).changes)
    changes.push({ kind: 'update', resource, detail: `function exists: update configuration, ${line}` });
  if (changes.length === 0)
    changes.push({
      kind: 'no-op',
      resource,
      detail: `unchanged (CodeSha256 ${shortSha(current.CodeSha256)})`,
    });
  const verb = changes[0]?.kind === 'no-op' ? 'leave' : 'update';
  return {
    summary: `${verb} Lambda function ${name} in ${region}`,
    method: 'describe-diff',
    changes,
    warnings,
  };
}
