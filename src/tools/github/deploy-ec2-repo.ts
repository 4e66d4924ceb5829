/**
 * deploy_ec2_repo: check a repository out, stage its app package in S3 and launch an instance
 * whose user data downloads it (presigned URL), installs the requirements and runs uvicorn.
 * The same package already running on a live instance is left alone.
 */
import { z } from 'zod';
import { launchEc2 } from '../aws/ec2.js';
import { launchInput } from '../aws/ec2-launch-input.js';
import { regionOf, regionSchema } from '../aws/regions.js';
import { bucketNameSchema } from '../aws/s3-names.js';
import { s3PresignerSdk, s3Sdk } from '../aws/sdk.js';
import { defineTool, type PreviewChange, type ToolContext, type ToolPreview } from '../define-tool.js';
import {
  APP_TAG,
  appInstances,
  buildEc2Package,
  type Ec2Package,
  healthUrl,
  packageClientToken,
  SHA_TAG,
} from './ec2-package.js';
import { repoSourceShape, shortCommit, sourceDirSchema, withCheckout } from './repo-source.js';
import { stageObject, stagingPreview, unstageObjects } from './staging.js';
import { renderUserData } from './user-data.js';

/** How long the instance can fetch its package: 7 days, the longest SigV4 presigning allows. */
export const PRESIGNED_URL_SECONDS = 7 * 24 * 3600;

const input = z.strictObject({
  ...repoSourceShape,
  app_name: z
    .string()
    .regex(/^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/, {
      error:
        'app_name: 1-40 lowercase letters, digits and hyphens, starting and ending with a letter or digit',
    })
    .describe('Name of the app: tags, the install folder /opt/<app_name> and the S3 key use it'),
  region: regionSchema.optional(),
  instance_type: launchInput.shape.instance_type.default('t3.micro'),
  ami_id: launchInput.shape.ami_id,
  key_name: launchInput.shape.key_name,
  staging_bucket: bucketNameSchema.describe('Existing S3 bucket the package is staged in'),
  subnet_id: launchInput.shape.subnet_id,
  security_group_ids: launchInput.shape.security_group_ids,
  iam_instance_profile: launchInput.shape.iam_instance_profile,
  port: z.int().min(1).max(65535).default(8000).describe('Port uvicorn listens on'),
  source_dir: sourceDirSchema
    .default('backend')
    .describe('Folder of the repository holding requirements.txt and the ASGI app'),
  asgi_app: z
    .string()
    .regex(/^[A-Za-z_][\w.]*:[A-Za-z_]\w*$/, { error: 'asgi_app: module:attribute, e.g. app.main:app' })
    .default('app.main:app')
    .describe('ASGI application uvicorn runs, as module:attribute inside source_dir'),
  health_path: z
    .string()
    .regex(/^\/[\w./~-]*$/, { error: 'health_path: an absolute URL path such as /api/health' })
    .default('/api/health')
    .describe('Path answering 200 when the app is healthy'),
});

type Args = z.infer<typeof input>;

export interface DeployEc2RepoResult {
  instance_id: string;
  app_name: string;
  /** s3:// URI of the staged package. */
  artifact: string;
  sha256: string;
  commit_sha: string | null;
  operation: 'created' | 'unchanged';
  health_url?: string;
  /** Live instances of the same app running an older package (left running). */
  other_instances?: string[];
}

const artifactKey = (args: Args, sha256: string) => `aws-copilot/${args.app_name}/${sha256}.zip`;

function launchArgs(args: Args, pkg: Ec2Package, userData: string, clientToken: string) {
  return launchEc2.input.parse({
    region: args.region,
    instance_type: args.instance_type,
    ami_id: args.ami_id,
    key_name: args.key_name,
    subnet_id: args.subnet_id,
    security_group_ids: args.security_group_ids,
    iam_instance_profile: args.iam_instance_profile,
    user_data: userData,
    tags: { Name: args.app_name, [APP_TAG]: args.app_name, [SHA_TAG]: pkg.sha256_hex },
    client_token: clientToken,
  });
}

function userDataFor(args: Args, pkg: Ec2Package, artifactUrl: string): string {
  return renderUserData({
    appName: args.app_name,
    artifactUrl,
    sha256: pkg.sha256_hex,
    port: args.port,
    sourceDir: args.source_dir,
    asgiApp: args.asgi_app,
    healthPath: args.health_path,
  });
}

async function preview(args: Args, context: ToolContext): Promise<ToolPreview> {
  const region = regionOf(args, context);
  return withCheckout(args, context, async (checkout) => {
    const pkg = await buildEc2Package(args.app_name, args.source_dir, checkout, context);
    const built: PreviewChange = {
      kind: 'read',
      resource: args.repo,
      detail: `commit ${shortCommit(checkout.commit_sha)}: ${pkg.files} files, ${pkg.bytes} bytes, sha256 ${pkg.sha256_hex.slice(0, 12)} (built locally)`,
    };
    const instances = await appInstances(args.app_name, pkg.sha256_hex, region, context);
    if (instances.current)
      return {
        summary: `${instances.current.instance_id} already runs this package of ${args.app_name}: nothing to do`,
        method: 'describe-diff',
        changes: [
          built,
          {
            kind: 'no-op',
            resource: `ec2:instance ${instances.current.instance_id}`,
            detail: instances.current.state,
          },
        ],
        warnings: [],
      };
    const key = artifactKey(args, pkg.sha256_hex);
    const staging = await stagingPreview(args.staging_bucket, key, pkg.zip_file, region, context);
    const token = packageClientToken(args.app_name, pkg.sha256_hex, region, instances.spent);
    const placeholder = userDataFor(
      args,
      pkg,
      `https://${args.staging_bucket}.s3.amazonaws.com/${key}?presigned-at-deploy`,
    );
    const launch = await launchEc2.preview(launchArgs(args, pkg, placeholder, token), context);
    const others = instances.others.map((instance) => instance.instance_id);
    return {
      summary: `launch ${args.app_name} (${args.repo}, commit ${shortCommit(checkout.commit_sha)}) on a new ${args.instance_type} in ${region}`,
      method: launch.method,
      changes: [built, ...staging.changes, ...launch.changes],
      warnings: [
        ...staging.warnings,
        ...launch.warnings,
        ...(others.length > 0
          ? [`${others.join(', ')} run(s) an older package of ${args.app_name} and will keep running`]
          : []),
      ],
    };
  });
}

export const deployEc2Repo = defineTool({
  name: 'deploy_ec2_repo',
  description:
    'Check out a git repository (or workspace folder), stage its FastAPI app package in S3 and launch an EC2 instance that installs and runs it with uvicorn; an instance already running the same package is reused.',
  input,
  risk: 'write',
  idempotent: true,
  iam: [...new Set([...launchEc2.iam, 's3:PutObject', 's3:GetObject', 's3:ListBucket', 's3:DeleteObject'])],
  preview,
  run: async (args, context): Promise<DeployEc2RepoResult> => {
    const region = regionOf(args, context);
    return withCheckout(args, context, async (checkout) => {
      const pkg = await buildEc2Package(args.app_name, args.source_dir, checkout, context);
      const key = artifactKey(args, pkg.sha256_hex);
      const artifact = `s3://${args.staging_bucket}/${key}`;
      const common = {
        app_name: args.app_name,
        artifact,
        sha256: pkg.sha256_hex,
        commit_sha: checkout.commit_sha,
      };
      const instances = await appInstances(args.app_name, pkg.sha256_hex, region, context);
      const others = instances.others.map((instance) => instance.instance_id);
      const extra = others.length > 0 ? { other_instances: others } : {};
      if (instances.current) {
        const url = healthUrl(instances.current, args.port, args.health_path);
        context.progress(`${instances.current.instance_id} already runs this package`);
        return {
          instance_id: instances.current.instance_id,
          ...common,
          operation: 'unchanged',
          ...(url ? { health_url: url } : {}),
          ...extra,
        };
      }
      await stageObject(args.staging_bucket, key, pkg.zip_file, region, context);
      const [{ GetObjectCommand }, { getSignedUrl }] = await Promise.all([s3Sdk(), s3PresignerSdk()]);
      const artifactUrl = await getSignedUrl(
        context.aws.s3(region),
        new GetObjectCommand({ Bucket: args.staging_bucket, Key: key }),
        { expiresIn: PRESIGNED_URL_SECONDS },
      );
      const token = packageClientToken(args.app_name, pkg.sha256_hex, region, instances.spent);
      const launched = await launchEc2.run(
        launchArgs(args, pkg, userDataFor(args, pkg, artifactUrl), token),
        context,
      );
      const url = healthUrl(launched, args.port, args.health_path);
      return {
        instance_id: launched.instance_id,
        ...common,
        operation: launched.operation === 'exists' ? 'unchanged' : 'created',
        ...(url ? { health_url: url } : {}),
        ...extra,
      };
    });
  },
  compensate: async ({ args, created }, context) => {
    const terminate = launchEc2.compensate as NonNullable<typeof launchEc2.compensate>;
    const lines = [
      await terminate(
        {
          args: launchEc2.input.parse({
            region: args.region,
            instance_type: args.instance_type,
            ami_id: args.ami_id,
          }),
          created,
        },
        context,
      ),
    ];
    const unstaged = await unstageObjects(created, context);
    if (unstaged) lines.push(unstaged);
    return lines.join('\n');
  },
  resourceIds: (args, result) => (result ? [result.instance_id, result.artifact] : [args.app_name]),
});
