/** deploy_lambda_repo: check a repository out, package its Python backend for Lambda, deploy it with deploy_lambda. */
import { z } from 'zod';
import { deployLambda } from '../aws/lambda.js';
import { DIRECT_UPLOAD_LIMIT_BYTES } from '../aws/lambda-code.js';
import {
  ensureFunctionUrl,
  FUNCTION_URL_IAM,
  functionUrlSchema,
  previewFunctionUrl,
  undoFunctionUrl,
} from '../aws/lambda-function-url.js';
import {
  checkHandler,
  environmentSchema,
  functionNameSchema,
  handlerSchema,
  roleArnSchema,
  runtimeSchema,
} from '../aws/lambda-schemas.js';
import { regionOf, regionSchema } from '../aws/regions.js';
import { bucketNameSchema } from '../aws/s3-names.js';
import { defineTool, type PreviewChange, type ToolContext, type ToolPreview } from '../define-tool.js';
import { fieldError } from '../field-error.js';
import { type Checkout, commitWithoutCheckout } from './checkout.js';
import { buildLambdaPackage, type LambdaPackage } from './lambda-package.js';
import { type BuiltPackage, builtPackage, keepPackage, packageKey } from './package-reuse.js';
import {
  pendingZipPath,
  repoSourceShape,
  settlePackage,
  shortCommit,
  sourceDirSchema,
  sourceFolder,
  withCheckout,
} from './repo-source.js';
import { type StagedObject, stageObject, stagingPreview, unstageObjects } from './staging.js';

const input = z
  .strictObject({
    ...repoSourceShape,
    function_name: functionNameSchema,
    role_arn: roleArnSchema,
    region: regionSchema.optional(),
    runtime: runtimeSchema
      .refine((runtime) => runtime.startsWith('python'), {
        error: 'deploy_lambda_repo packages Python backends: use a python3.x runtime such as python3.12',
      })
      .default('python3.12'),
    handler: handlerSchema.default('lambda_handler.handler'),
    source_dir: sourceDirSchema
      .default('backend')
      .describe('Folder of the repository holding the function code and its requirements.txt'),
    environment: environmentSchema.optional(),
    staging_bucket: bucketNameSchema
      .optional()
      .describe('Existing bucket for packages over 50 MB, which Lambda only takes from S3'),
    memory_size: z.int().min(128).max(10240).optional().describe('Memory in MB, 128-10240'),
    timeout: z.int().min(1).max(900).optional().describe('Timeout in seconds, 1-900'),
    function_url: functionUrlSchema
      .default('none')
      .describe(
        "An https address for the function (a Lambda function URL): 'public' = anyone on the internet can call it (AuthType NONE plus the lambda:InvokeFunctionUrl permission for principal *), 'iam' = callers must sign requests with AWS credentials (AuthType AWS_IAM), 'none' (default) = no URL is created or changed",
      ),
  })
  .superRefine(checkHandler);

type Args = z.infer<typeof input>;

export interface DeployLambdaRepoResult {
  function_name: string;
  function_arn: string;
  code_sha256: string;
  commit_sha: string | null;
  operation: 'created' | 'updated' | 'unchanged';
  files: number;
  bytes: number;
  /** The package, relative to the workspace. */
  zip_file: string;
  /** Where a package over 50 MB was staged. */
  staged_object?: string;
  /** The function URL, when function_url is 'public' or 'iam'. */
  function_url?: string;
}

type CodeSource = { zip_file: string } | { s3_bucket: string; s3_key: string };

function deployLambdaArgs(args: Args, code: CodeSource) {
  return deployLambda.input.parse({
    function_name: args.function_name,
    role_arn: args.role_arn,
    runtime: args.runtime,
    handler: args.handler,
    ...code,
    ...(args.region ? { region: args.region } : {}),
    ...(args.environment ? { environment: args.environment } : {}),
    ...(args.memory_size !== undefined ? { memory_size: args.memory_size } : {}),
    ...(args.timeout !== undefined ? { timeout: args.timeout } : {}),
  });
}

function stagingKey(args: Args, pkg: LambdaPackage): string {
  return `aws-copilot/lambda/${args.function_name}/${pkg.sha256_hex}.zip`;
}

/** A package ready to upload, with the commit it was built from (null for a plain folder). */
type SourcePackage = BuiltPackage<LambdaPackage> & { commit: string | null };

const isLarge = (pkg: LambdaPackage) => pkg.bytes > DIRECT_UPLOAD_LIMIT_BYTES;

function lambdaPackageKey(args: Args, commit: string | null | undefined, context: ToolContext) {
  return packageKey(context, commit ?? null, [`lambda-${args.function_name}`, args.source_dir, args.runtime]);
}

async function packageCheckout(args: Args, checkout: Checkout, context: ToolContext): Promise<SourcePackage> {
  const stem = `lambda-${args.function_name}`;
  const key = lambdaPackageKey(args, checkout.commit_sha, context);
  const built = await builtPackage<LambdaPackage>(key, context);
  if (built) {
    context.progress(`using the package the dry run built, CodeSha256 ${built.pkg.code_sha256_base64}`);
    return { ...built, commit: checkout.commit_sha };
  }
  const pkg = await buildLambdaPackage({
    sourceDir: await sourceFolder(checkout, args.source_dir),
    git: checkout.git,
    runtime: args.runtime,
    zipPath: pendingZipPath(stem, context),
    dataDir: context.settings.dataDir,
    signal: context.signal,
    progress: context.progress,
  });
  const zipFile = await settlePackage(pkg, stem, context);
  keepPackage(key, { pkg, zipFile });
  context.progress(`packaged ${pkg.files} files (${pkg.bytes} bytes), CodeSha256 ${pkg.code_sha256_base64}`);
  return { pkg, zipFile, commit: checkout.commit_sha };
}

/**
 * The package the dry run built, found without a second checkout when the commit is known
 * without one (a workspace repository's tip, or a pinned commit): the approved run then skips
 * cloning altogether. Undefined when it must check out.
 */
async function packageOfKnownCommit(args: Args, context: ToolContext): Promise<SourcePackage | undefined> {
  const commit = await commitWithoutCheckout({
    ...args,
    workspace: context.workspace,
    signal: context.signal,
  });
  if (!commit) return undefined;
  const built = await builtPackage<LambdaPackage>(lambdaPackageKey(args, commit, context), context);
  if (!built) return undefined;
  context.progress(
    `using the package the dry run built from commit ${shortCommit(commit)}, CodeSha256 ${built.pkg.code_sha256_base64}`,
  );
  return { ...built, commit };
}

function requireStagingBucket(args: Args, pkg: LambdaPackage): string {
  if (args.staging_bucket) return args.staging_bucket;
  throw fieldError(
    'invalid_input',
    'staging_bucket',
    `staging_bucket: the package is ${(pkg.bytes / 1048576).toFixed(1)} MB, over Lambda's 50 MB direct upload limit; name an existing S3 bucket to stage it in`,
  );
}

/** Uploads `source` (staged in S3 when it is over the direct upload limit) and creates or updates the function. */
async function deployPackage(
  args: Args,
  source: SourcePackage,
  context: ToolContext,
): Promise<DeployLambdaRepoResult> {
  const { pkg, zipFile } = source;
  let code: CodeSource = { zip_file: zipFile };
  let staged: StagedObject | undefined;
  if (isLarge(pkg)) {
    const bucket = requireStagingBucket(args, pkg);
    staged = await stageObject(bucket, stagingKey(args, pkg), zipFile, args.region, context);
    code = { s3_bucket: bucket, s3_key: staged.key };
  }
  const deployed = await deployLambda.run(deployLambdaArgs(args, code), context);
  const url = await ensureFunctionUrl(
    deployed.function_name,
    args.function_url,
    regionOf(args, context),
    context,
  );
  return {
    function_name: deployed.function_name,
    function_arn: deployed.function_arn,
    code_sha256: deployed.code_sha256,
    commit_sha: source.commit,
    operation: deployed.operation,
    files: pkg.files,
    bytes: pkg.bytes,
    zip_file: zipFile,
    ...(staged ? { staged_object: staged.uri } : {}),
    ...(url ? { function_url: url } : {}),
  };
}

async function preview(args: Args, context: ToolContext): Promise<ToolPreview> {
  return withCheckout(args, context, async (checkout) => {
    const { pkg, zipFile } = await packageCheckout(args, checkout, context);
    const large = isLarge(pkg);
    const changes: PreviewChange[] = [
      {
        kind: 'read',
        resource: args.repo,
        detail: `commit ${shortCommit(checkout.commit_sha)}: ${pkg.files} files, ${pkg.bytes} bytes in ${zipFile} (built locally)`,
      },
    ];
    const warnings: string[] = [];
    let code: CodeSource = { zip_file: zipFile };
    if (large) {
      if (!args.staging_bucket) {
        warnings.push(`the package is over 50 MB: staging_bucket is required to stage it in S3`);
      } else {
        const key = stagingKey(args, pkg);
        const staged = await stagingPreview(args.staging_bucket, key, zipFile, args.region, context);
        changes.push(...staged.changes);
        warnings.push(...staged.warnings);
        code = { s3_bucket: args.staging_bucket, s3_key: key };
      }
    }
    if (large && !args.staging_bucket) {
      return {
        summary: `deploy ${args.repo} to Lambda function ${args.function_name}`,
        method: 'local-check',
        changes,
        warnings,
      };
    }
    const inner = await deployLambda.preview(deployLambdaArgs(args, code), context);
    // The staged object does not exist yet; it is uploaded before the deploy.
    const innerWarnings = inner.warnings.filter(
      (warning) => !('s3_key' in code && warning.includes(code.s3_key)),
    );
    const url = await previewFunctionUrl(
      args.function_name,
      args.function_url,
      regionOf(args, context),
      context,
    );
    return {
      summary: `${inner.summary} from ${args.repo} (commit ${shortCommit(checkout.commit_sha)})`,
      method: inner.method,
      changes: [...changes, ...inner.changes, ...url.changes],
      warnings: [...warnings, ...innerWarnings, ...url.warnings],
    };
  });
}

export const deployLambdaRepo = defineTool({
  name: 'deploy_lambda_repo',
  description:
    'Check out a git repository (or workspace folder), package its Python backend with its requirements for Lambda, and create or update the function, with a public or IAM-signed function URL when asked; unchanged code changes nothing.',
  input,
  risk: 'write',
  idempotent: true,
  iam: [
    ...new Set([
      ...deployLambda.iam,
      ...FUNCTION_URL_IAM,
      's3:PutObject',
      's3:GetObject',
      's3:ListBucket',
      's3:DeleteObject',
    ]),
  ],
  preview,
  run: async (args, context): Promise<DeployLambdaRepoResult> => {
    const known = await packageOfKnownCommit(args, context);
    if (known) return deployPackage(args, known, context);
    return withCheckout(args, context, async (checkout) =>
      deployPackage(args, await packageCheckout(args, checkout, context), context),
    );
  },
  compensate: async ({ args, created }, context) => {
    // The URL and its permissions first: they belong to the function the next line may delete.
    const lines = [
      ...(await undoFunctionUrl(created, context)),
      await (deployLambda.compensate as NonNullable<typeof deployLambda.compensate>)(
        { args: deployLambdaArgs(args, { zip_file: 'unused.zip' }), created },
        context,
      ),
    ];
    const unstaged = await unstageObjects(created, context);
    if (unstaged) lines.push(unstaged);
    return lines.join('\n');
  },
  resourceIds: (args) => [args.function_name],
  targets: (args) => [{ kind: 'lambda-function', name: args.function_name, region: args.region }],
});
