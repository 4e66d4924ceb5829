/** Input schemas shared by the Lambda tools: Lambda's own naming and size rules, checked before any call. */
import { z } from 'zod';
import { bucketNameSchema, objectKeySchema } from './s3-names.js';

export const FUNCTION_NAME_RULES =
  'function names are 1-64 characters of letters, digits, hyphens and underscores (a name, not an ARN)';

export const functionNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, { error: (issue) => `'${String(issue.input)}': ${FUNCTION_NAME_RULES}` })
  .describe('Lambda function name, e.g. shop-api (1-64 letters, digits, hyphens, underscores)');

/** Runtimes Lambda accepts for new functions (deprecated ones such as python3.8 or nodejs16.x are left out). */
export const LAMBDA_RUNTIMES = [
  'python3.9',
  'python3.10',
  'python3.11',
  'python3.12',
  'python3.13',
  'python3.14',
  'nodejs18.x',
  'nodejs20.x',
  'nodejs22.x',
  'nodejs24.x',
  'java8.al2',
  'java11',
  'java17',
  'java21',
  'java25',
  'dotnet8',
  'dotnet10',
  'ruby3.2',
  'ruby3.3',
  'ruby3.4',
  'provided.al2',
  'provided.al2023',
] as const;

export const runtimeSchema = z
  .enum(LAMBDA_RUNTIMES, {
    error: (issue) => `unknown runtime '${String(issue.input)}'; use one of ${LAMBDA_RUNTIMES.join(', ')}`,
  })
  .describe('Lambda runtime, e.g. python3.12 or nodejs22.x');

export const handlerSchema = z
  .string()
  .regex(/^\S{1,128}$/, { error: 'handlers are 1-128 characters without spaces, e.g. app.handler' })
  .describe(
    'Entry point: file.function for Python/Node.js/Ruby (app.handler), package.Class::method for Java',
  );

/** Runtimes whose handler is `file.function`, so a handler without a dot can never work. */
const DOTTED_HANDLER_RUNTIME = /^(python|nodejs|ruby)/;

/** The runtime-specific shape of a handler, or a message saying what is wrong. */
export function handlerProblem(runtime: string, handler: string): string | undefined {
  if (DOTTED_HANDLER_RUNTIME.test(runtime) && !/^[\w./-]+\.[\w$]+$/.test(handler))
    return `'${handler}' is not a ${runtime} handler; use file.function, e.g. app.handler for app.py's handler()`;
  return undefined;
}

/** Schema refinement: the handler fits the runtime (reported on `handler`). */
export function checkHandler(args: { runtime: string; handler: string }, context: z.RefinementCtx): void {
  const problem = handlerProblem(args.runtime, args.handler);
  if (problem) context.addIssue({ code: 'custom', path: ['handler'], message: problem });
}

export const roleArnSchema = z
  .string()
  .regex(/^arn:aws(-cn|-us-gov)?:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/, {
    error: (issue) =>
      `'${String(issue.input)}' is not an IAM role ARN; expected arn:aws:iam::<12-digit account>:role/<name>`,
  })
  .describe('Execution role ARN, e.g. arn:aws:iam::123456789012:role/shop-api-lambda');

/** Variables Lambda sets itself and refuses to let a function override. */
const RESERVED_ENVIRONMENT_KEYS = new Set([
  '_HANDLER',
  '_X_AMZN_TRACE_ID',
  'AWS_DEFAULT_REGION',
  'AWS_REGION',
  'AWS_EXECUTION_ENV',
  'AWS_LAMBDA_FUNCTION_NAME',
  'AWS_LAMBDA_FUNCTION_MEMORY_SIZE',
  'AWS_LAMBDA_FUNCTION_VERSION',
  'AWS_LAMBDA_INITIALIZATION_TYPE',
  'AWS_LAMBDA_LOG_GROUP_NAME',
  'AWS_LAMBDA_LOG_STREAM_NAME',
  'AWS_ACCESS_KEY',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_LAMBDA_RUNTIME_API',
  'LAMBDA_TASK_ROOT',
  'LAMBDA_RUNTIME_DIR',
]);

export const ENVIRONMENT_LIMIT_BYTES = 4096;

export const environmentSchema = z
  .record(z.string(), z.string())
  .superRefine((variables, context) => {
    for (const key of Object.keys(variables)) {
      if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(key))
        context.addIssue({
          code: 'custom',
          path: [key],
          message: `environment variable name '${key}' must start with a letter and contain only letters, digits and underscores`,
        });
      else if (RESERVED_ENVIRONMENT_KEYS.has(key))
        context.addIssue({
          code: 'custom',
          path: [key],
          message: `${key} is reserved by Lambda and cannot be set`,
        });
    }
    const size = Object.entries(variables).reduce(
      (total, [key, value]) => total + Buffer.byteLength(key) + Buffer.byteLength(value),
      0,
    );
    if (size > ENVIRONMENT_LIMIT_BYTES)
      context.addIssue({
        code: 'custom',
        message: `environment variables total ${size} bytes; Lambda allows at most 4 KB (4096 bytes) of names and values`,
      });
  })
  .describe('Environment variables (names: letter, then letters/digits/underscores; 4 KB in total)');

/** The code of a function: a zip in the workspace, or an object already in S3. */
export const codeSourceShape = {
  zip_file: z
    .string()
    .min(1)
    .optional()
    .describe('Path of the deployment zip inside the workspace (at most 50 MB; larger ones go through S3)'),
  s3_bucket: bucketNameSchema.optional().describe('Bucket holding the deployment zip (with s3_key)'),
  s3_key: objectKeySchema.optional().describe('Key of the deployment zip in s3_bucket'),
};

export interface CodeSourceArgs {
  zip_file?: string | undefined;
  s3_bucket?: string | undefined;
  s3_key?: string | undefined;
}

/** Exactly one code source: zip_file, or s3_bucket and s3_key together. */
export function checkCodeSource(args: CodeSourceArgs, context: z.RefinementCtx): void {
  const hasS3 = args.s3_bucket !== undefined || args.s3_key !== undefined;
  if (args.zip_file !== undefined && hasS3) {
    context.addIssue({
      code: 'custom',
      path: ['zip_file'],
      message: 'give either zip_file or s3_bucket + s3_key, not both',
    });
  } else if (args.zip_file === undefined && !hasS3) {
    context.addIssue({
      code: 'custom',
      path: ['zip_file'],
      message: 'the code is missing: give zip_file (a zip in the workspace) or s3_bucket + s3_key',
    });
  } else if (hasS3 && (args.s3_bucket === undefined || args.s3_key === undefined)) {
    context.addIssue({
      code: 'custom',
      path: [args.s3_bucket === undefined ? 's3_bucket' : 's3_key'],
      message: 's3_bucket and s3_key go together',
    });
  }
}

export const qualifierSchema = z
  .string()
  .regex(/^(\$LATEST|[0-9]{1,10}|(?!^[0-9]+$)[A-Za-z0-9_-]{1,128})$/, {
    error: 'qualifier is $LATEST, a version number or an alias name (letters, digits, hyphens, underscores)',
  })
  .describe('Version number or alias to invoke; $LATEST when omitted');
