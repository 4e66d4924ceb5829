/** STS: who the configured credentials belong to (preflight's credential check). */
import { z } from 'zod';
import { defineTool, readOnlyPreview } from '../define-tool.js';
import { callAws } from './aws-error.js';
import { regionSchema } from './regions.js';
import { stsSdk } from './sdk.js';

export const getCallerIdentity = defineTool({
  name: 'get_caller_identity',
  description:
    'Return the AWS account id, user id and ARN of the credentials in use; proves the credentials work.',
  input: z.strictObject({ region: regionSchema.optional() }),
  risk: 'read',
  iam: ['sts:GetCallerIdentity'],
  idempotent: true,
  preview: async () => readOnlyPreview('read the identity of the configured AWS credentials'),
  run: async (args, context) => {
    const { GetCallerIdentityCommand } = await stsSdk();
    const identity = await callAws('GetCallerIdentity', () =>
      context.aws.sts(args.region).send(new GetCallerIdentityCommand({}), { abortSignal: context.signal }),
    );
    return { account: identity.Account ?? '', user_id: identity.UserId ?? '', arn: identity.Arn ?? '' };
  },
});
