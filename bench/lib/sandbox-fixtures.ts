/** What the deploy conversations need in the sandbox and the workspace: an execution role, the sample app. */
import { randomBytes } from 'node:crypto';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { SANDBOX_CREDENTIALS } from '../../src/sandbox/sandbox.js';
import { makeShopRepo } from '../../test/github/repo-fixtures.js';

/** `prefix-` and 8 random hex digits: every run deploys under names no earlier run used. */
export function freshName(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

/** The emulator refuses a function whose role does not exist; one role serves every repetition. */
export async function createExecutionRole(endpoint: string): Promise<string> {
  const iam = new IAMClient({ region: 'us-east-1', endpoint, credentials: SANDBOX_CREDENTIALS });
  try {
    const answer = await iam.send(
      new CreateRoleCommand({
        RoleName: freshName('bench-lambda'),
        AssumeRolePolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
          ],
        }),
      }),
    );
    const arn = answer.Role?.Arn;
    if (!arn) throw new Error('CreateRole returned no ARN');
    return arn;
  } finally {
    iam.destroy();
  }
}

/** A fresh git repository of examples/shop in the workspace, named `name` (the app and function name follow it). */
export function shopRepo(workspace: string, name: string): string {
  return makeShopRepo({ settings: { workspace } }, name);
}
