/**
 * Source checkout: a shallow clone of an https repository (token sent as a header, never in the
 * URL, argv or .git/config), a clone of a local git repository, or a plain local folder as is.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { CopilotError } from '../../errors/copilot-error.js';
import { redactor } from '../../guardrails/redaction.js';
import { fieldError } from '../field-error.js';
import { childEnvironment } from '../workspace/child-env.js';
import { resolveInWorkspace } from '../workspace/paths.js';
import { maskSecrets, runCommand } from './process.js';

export interface CheckoutRequest {
  /** https URL of a git repository, or a folder in the workspace (git repository or plain). */
  repo: string;
  branch?: string;
  /** Full commit SHA to check out instead of the branch tip. */
  commit?: string;
  /** Access token for a private https repository. */
  token?: string;
  /** Empty scratch folder the clone goes into. */
  workDir: string;
  workspace: string;
  signal: AbortSignal;
}

export interface Checkout {
  /** Folder holding the checked-out files. */
  dir: string;
  /** Commit checked out; null for a plain folder. */
  commit_sha: string | null;
  /** Branch checked out, when known. */
  branch: string | null;
  /** True when `dir` is a git work tree (file selection then follows the index). */
  git: boolean;
}

const URL_SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;
const SCP_LIKE = /^[\w.-]+@[\w.-]+:/;

/** Why `repo` is not acceptable, or undefined when it is. */
export function repoProblem(repo: string): string | undefined {
  if (repo.trim() !== repo || repo === '')
    return 'must be an https:// URL or a workspace folder, without spaces around it';
  if (repo.startsWith('-')) return `must not start with '-'`;
  if (repo.includes('::'))
    return 'remote-helper transports such as ext:: and file:: are not allowed; use an https:// URL';
  if (SCP_LIKE.test(repo)) return 'SSH addresses are not supported; use the https:// URL of the repository';
  if (!URL_SCHEME.test(repo)) return undefined;
  let url: URL;
  try {
    url = new URL(repo);
  } catch {
    return `'${repo}' is not a valid URL`;
  }
  if (url.protocol !== 'https:')
    return `only https:// URLs are accepted (got ${url.protocol}//); for a local checkout give a workspace folder`;
  if (url.username || url.password)
    return 'must not contain credentials (user:password@); pass a token as github_token instead';
  if (!url.hostname) return 'must name a host, e.g. https://github.com/owner/repo';
  return undefined;
}

export const repoSchema = z
  .string()
  .max(2048)
  .refine((repo) => repoProblem(repo) === undefined, {
    error: (issue) => repoProblem(String(issue.input)) ?? 'invalid repository',
  })
  .describe(
    'https URL of the git repository (e.g. https://github.com/acme/shop) or a folder in the workspace',
  );

export const branchSchema = z
  .string()
  .regex(/^(?!-)(?!.*\.\.)(?!.*\/\/)[A-Za-z0-9._/-]{1,200}$/, {
    error: 'branch: letters, digits, dot, underscore, slash and hyphen; not starting with - and without ..',
  })
  .describe('Branch to deploy; default: the repository default branch');

export const commitSchema = z
  .string()
  .regex(/^([0-9a-f]{40}|[0-9a-f]{64})$/, { error: 'commit: a full 40-character (or 64) lowercase hex SHA' })
  .describe('Exact commit SHA to deploy (full length); overrides the branch tip');

/** Git's environment: no credentials or GIT_* redirections inherited, no prompts, the token as a host-scoped header. */
export function gitEnvironment(url: URL | undefined, token: string | undefined): NodeJS.ProcessEnv {
  const inherited = childEnvironment(process.env);
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(inherited)) if (!key.startsWith('GIT_')) env[key] = value;
  env.GIT_TERMINAL_PROMPT = '0';
  env.GIT_ASKPASS = '';
  env.SSH_ASKPASS = '';
  if (url && token) {
    // Config through the environment stays out of argv (process lists, logs) and out of .git/config;
    // scoping it to the origin keeps a redirect to another host from receiving it.
    const basic = Buffer.from(`x-access-token:${token}`).toString('base64');
    env.GIT_CONFIG_COUNT = '1';
    env.GIT_CONFIG_KEY_0 = `http.${url.origin}/.extraHeader`;
    env.GIT_CONFIG_VALUE_0 = `Authorization: Basic ${basic}`;
  }
  return env;
}

function tokenSecrets(token: string | undefined): string[] {
  if (!token) return [];
  return [token, Buffer.from(`x-access-token:${token}`).toString('base64')];
}

async function git(args: string[], what: string, env: NodeJS.ProcessEnv, request: CheckoutRequest) {
  const output = await runCommand('git', args, {
    what,
    env,
    signal: request.signal,
    secrets: tokenSecrets(request.token),
  });
  return output.stdout.toString().trim();
}

async function cloneInto(source: string, url: URL | undefined, dir: string, request: CheckoutRequest) {
  const env = gitEnvironment(url, request.token);
  if (request.commit) {
    await git(['init', '-q', dir], 'git init', env, request);
    await git(
      ['-C', dir, 'fetch', '-q', '--depth', '1', '--no-tags', source, request.commit],
      `git fetch of commit ${request.commit}`,
      env,
      request,
    );
    await git(['-C', dir, 'checkout', '-q', '--detach', 'FETCH_HEAD'], 'git checkout', env, request);
  } else {
    const branch = request.branch ? ['--branch', request.branch] : [];
    await git(
      ['clone', '-q', '--depth', '1', '--single-branch', '--no-tags', ...branch, '--', source, dir],
      `git clone${request.branch ? ` of branch ${request.branch}` : ''}`,
      env,
      request,
    );
  }
  // One process for both: the commit, then the branch name (`HEAD` when detached).
  const [commit = '', head = 'HEAD'] = (
    await git(['-C', dir, 'rev-parse', 'HEAD', '--abbrev-ref', 'HEAD'], 'git rev-parse', env, request)
  ).split('\n');
  return { dir, commit_sha: commit, branch: head !== 'HEAD' ? head : (request.branch ?? null), git: true };
}

async function isGitTopLevel(folder: string, request: CheckoutRequest): Promise<boolean> {
  if (!existsSync(join(folder, '.git'))) return false;
  try {
    const top = await git(
      ['-C', folder, 'rev-parse', '--show-toplevel'],
      'git rev-parse',
      gitEnvironment(undefined, undefined),
      request,
    );
    return top === folder;
  } catch {
    return false;
  }
}

/**
 * The commit a checkout of `request` would give, when it can be known without cloning: the commit
 * it names, or the tip of a workspace git repository (one `git rev-parse`). Undefined when it
 * cannot (an https branch tip needs the network, a plain folder has none, a branch git cannot
 * resolve locally): the caller then checks out as usual.
 */
export async function commitWithoutCheckout(
  request: Omit<CheckoutRequest, 'workDir' | 'token'>,
): Promise<string | undefined> {
  if (request.commit) return request.commit;
  if (repoProblem(request.repo) !== undefined || URL_SCHEME.test(request.repo)) return undefined;
  const folder = resolveInWorkspace(request.workspace, request.repo, 'repo');
  if (!existsSync(join(folder, '.git'))) return undefined;
  // A clone of a local repository without --branch checks out the branch its HEAD names.
  const revision = `${request.branch ? `refs/heads/${request.branch}` : 'HEAD'}^{commit}`;
  try {
    const [top, commit] = (
      await git(
        ['-C', folder, 'rev-parse', '--show-toplevel', '--verify', '--end-of-options', revision],
        'git rev-parse',
        gitEnvironment(undefined, undefined),
        { ...request, workDir: '' },
      )
    ).split('\n');
    return top === folder && commit && /^[0-9a-f]{40,64}$/.test(commit) ? commit : undefined;
  } catch {
    return undefined;
  }
}

/** Checks the repository out into `workDir` (or, for a plain folder, uses it where it is). */
export async function checkoutRepository(request: CheckoutRequest): Promise<Checkout> {
  const problem = repoProblem(request.repo);
  if (problem) throw fieldError('invalid_input', 'repo', `repo: ${problem}`);
  if (request.token) redactor.addSecrets(tokenSecrets(request.token));
  const dir = join(request.workDir, 'repo');
  try {
    if (URL_SCHEME.test(request.repo)) {
      const url = new URL(request.repo);
      return await cloneInto(url.href, url, dir, request);
    }
    const folder = resolveInWorkspace(request.workspace, request.repo, 'repo');
    if (!existsSync(folder) || !statSync(folder).isDirectory())
      throw fieldError('invalid_input', 'repo', `repo: '${request.repo}' is not a folder in the workspace`);
    if (await isGitTopLevel(folder, request))
      return await cloneInto(pathToFileURL(folder).href, undefined, dir, request);
    if (request.branch || request.commit)
      throw fieldError(
        'invalid_input',
        request.commit ? 'commit' : 'branch',
        `repo: '${request.repo}' is not a git repository, so branch and commit cannot apply`,
      );
    return { dir: folder, commit_sha: null, branch: null, git: false };
  } catch (error) {
    if (error instanceof CopilotError || !(error instanceof Error)) throw error;
    throw new CopilotError('command_failed', maskSecrets(error.message, tokenSecrets(request.token)));
  }
}
