/** A Lambda execution role in the sandbox (the emulator refuses a function whose role does not exist). */
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { SANDBOX_CREDENTIALS } from '../../src/sandbox/sandbox.js';

/** Creates the role at `endpoint`; free of vitest, so the benchmarks use it too. */
export async function createLambdaExecutionRole(endpoint: string, roleName: string): Promise<string> {
  const iam = new IAMClient({ region: 'us-east-1', endpoint, credentials: SANDBOX_CREDENTIALS });
  try {
    const answer = await iam.send(
      new CreateRoleCommand({
        RoleName: roleName,
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
