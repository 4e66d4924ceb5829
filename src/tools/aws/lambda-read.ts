/** get_lambda_function: a function's state and configuration, read-only (post-deployment validation). */
import { z } from 'zod';
import { defineTool, readOnlyPreview } from '../define-tool.js';
import { functionSummary, getFunction } from './lambda-function.js';
import { functionNameSchema } from './lambda-schemas.js';
import { regionOf, regionSchema } from './regions.js';

export const getLambdaFunction = defineTool({
  name: 'get_lambda_function',
  description:
    "Read a Lambda function's state (Active, Pending, Failed), last update status, runtime, handler, CodeSha256 and environment variable names.",
  input: z.strictObject({
    function_name: functionNameSchema,
    region: regionSchema.optional(),
  }),
  risk: 'read',
  iam: ['lambda:GetFunction'],
  idempotent: true,
  preview: async (args) => readOnlyPreview(`read the Lambda function ${args.function_name}`),
  run: async (args, context) => {
    const answer = await getFunction(
      context.aws.lambda(regionOf(args, context)),
      args.function_name,
      context,
    );
    const configuration = answer.Configuration ?? {};
    return {
      ...functionSummary(args.function_name, configuration),
      state_reason: configuration.StateReason ?? null,
      last_update_status_reason: configuration.LastUpdateStatusReason ?? null,
      runtime: configuration.Runtime ?? null,
      handler: configuration.Handler ?? null,
      memory_size: configuration.MemorySize ?? null,
      timeout: configuration.Timeout ?? null,
      // Names only: values are often secrets.
      environment_names: Object.keys(configuration.Environment?.Variables ?? {}).sort(),
    };
  },
  resourceIds: (args) => [args.function_name],
});
