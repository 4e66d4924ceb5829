/** What both repo deployers share: the source arguments, a checkout that cleans up after itself, build paths. */
import { mkdtemp, readdir, realpath, rename, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { isAbsolute, join, relative, sep } from 'node:path';
import { z } from 'zod';
import type { ToolContext } from '../define-tool.js';
import { fieldError } from '../field-error.js';
import { resolveInWorkspace } from '../workspace/paths.js';
import { branchSchema, type Checkout, checkoutRepository, commitSchema, repoSchema } from './checkout.js';
import type { PackageResult } from './package-zip.js';

/** Workspace folder (relative) where packages are written. */
export const BUILD_DIR = '.aws-copilot/build';

export const sourceDirSchema = z.string().regex(/^(?!\/)(?!.*(?:^|\/)\.\.(?:\/|$))[A-Za-z0-9._/-]{1,200}$/, {
  error:
    'source_dir: a folder inside the repository such as backend or services/api (no leading / and no ..)',
});

/** Input fields every repo deployer takes. */
export const repoSourceShape = {
  repo: repoSchema,
  branch: branchSchema.optional(),
  commit: commitSchema.optional(),
  github_token: z
    .string()
    .min(1)
    .max(1024, 'github_token is at most 1024 characters')
    .regex(/^[\x21-\x7e]+$/, 'github_token: printable ASCII without spaces')
    .optional()
    .describe('Secret: access token for a private https repository; sent to git as a header, never echoed'),
};

export interface RepoSourceArgs {
  repo: string;
  branch?: string | undefined;
  commit?: string | undefined;
  github_token?: string | undefined;
}

/** Checks the repository out into a scratch folder, runs `work`, and always removes the folder. */
export async function withCheckout<T>(
  args: RepoSourceArgs,
  context: ToolContext,
  work: (checkout: Checkout) => Promise<T>,
): Promise<T> {
  const workDir = await mkdtemp(join(tmpdir(), 'aws-copilot-checkout-'));
  try {
    context.progress(
      `checking out ${args.repo}${args.commit ? ` at ${args.commit}` : args.branch ? ` (${args.branch})` : ''}`,
    );
    const checkout = await checkoutRepository({
      repo: args.repo,
      ...(args.branch ? { branch: args.branch } : {}),
      ...(args.commit ? { commit: args.commit } : {}),
      ...(args.github_token ? { token: args.github_token } : {}),
      workDir,
      workspace: context.workspace,
      signal: context.signal,
    });
    return await work(checkout);
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

/** The real path of `sourceDir` inside the checkout; refuses a missing folder or one that leaves the tree. */
export async function sourceFolder(checkout: Checkout, sourceDir: string): Promise<string> {
  const root = await realpath(checkout.dir);
  const fail = (why: string) =>
    fieldError('invalid_input', 'source_dir', `source_dir: '${sourceDir}' ${why}`);
  const folder = await realpath(join(root, sourceDir)).catch(() => {
    throw fail('does not exist in the repository');
  });
  const rel = relative(root, folder);
  if (rel.startsWith(`..${sep}`) || rel === '..' || isAbsolute(rel)) throw fail('leaves the repository');
  if (!(await stat(folder)).isDirectory()) throw fail('is not a folder');
  return folder;
}

/** Absolute build folder inside the workspace. */
export function buildFolder(context: ToolContext): string {
  return resolveInWorkspace(context.workspace, BUILD_DIR, 'build folder');
}

/**
 * Gives a freshly written package its content-addressed name `<stem>-<sha12>.zip` and deletes older
 * packages of the same stem (deployed code is kept separately for rollback). Returns the
 * workspace-relative path, the form the AWS tools take.
 */
export async function settlePackage(
  result: PackageResult,
  stem: string,
  context: ToolContext,
): Promise<string> {
  const folder = buildFolder(context);
  const name = `${stem}-${result.sha256_hex.slice(0, 12)}.zip`;
  await rename(result.zip_path, join(folder, name));
  for (const entry of await readdir(folder)) {
    const older = entry.startsWith(`${stem}-`) && /^[0-9a-f]{12}\.zip$/.test(entry.slice(stem.length + 1));
    if (older && entry !== name) await rm(join(folder, entry), { force: true });
  }
  return `${BUILD_DIR}/${name}`;
}

/** A unique scratch name in the build folder for a package being written. */
export function pendingZipPath(stem: string, context: ToolContext): string {
  return join(
    buildFolder(context),
    `${stem}.${process.pid}-${Date.now()}-${Math.random().toString(16).slice(2)}.building`,
  );
}

export function shortCommit(commit: string | null): string {
  return commit ? commit.slice(0, 12) : 'working folder';
}
