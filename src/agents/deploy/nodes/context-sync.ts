/**
 * Context Curator: reads the project through repo_reader (its only tool), works out the stack and
 * the environment variables the app needs, and writes a short summary. Repository text is data:
 * it is parsed for facts, never followed as instructions.
 */
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { LangGraphRunnableConfig } from '@langchain/langgraph';
import { registerProjectSecrets } from '../../../guardrails/project-secrets.js';
import { countTextTokens } from '../../../models/token-counter.js';
import { checkoutRepository } from '../../../tools/github/checkout.js';
import { resolveInWorkspace } from '../../../tools/workspace/paths.js';
import { observedNode } from '../../node-runner.js';
import { ROLES } from '../../roles.js';
import { type AgentRuntime, runtimeOf, sessionContextOf } from '../../runtime.js';
import { withProjectMemory } from '../project-memory.js';
import type { DeployStateType, DeployUpdate, ProjectContext } from '../state.js';

const SUMMARY_TOKEN_LIMIT = 2000;
const ENV_TEMPLATE_FILES = ['.env.example', '.env.sample', '.env.template', 'backend/.env.example'];
const MANIFESTS = [
  'pyproject.toml',
  'package.json',
  'backend/requirements.txt',
  'backend/pyproject.toml',
  'frontend/package.json',
];

/** Puts the project in the workspace: a local folder is used as is, a URL is cloned once. */
async function projectFolder(
  state: DeployStateType,
  runtime: AgentRuntime,
  signal: AbortSignal,
): Promise<string> {
  const repo = state.request.repo as string;
  const workspace = runtime.settings.workspace;
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(repo))
    return relative(workspace, resolveInWorkspace(workspace, repo, 'repo')) || '.';
  const key = createHash('sha256')
    .update(`${repo}#${state.request.branch ?? ''}`)
    .digest('hex')
    .slice(0, 12);
  const workDir = join(workspace, '.aws-copilot', 'checkouts', key);
  mkdirSync(workDir, { recursive: true });
  const checkout = await checkoutRepository({
    repo,
    ...(state.request.branch ? { branch: state.request.branch } : {}),
    workDir,
    workspace,
    signal,
  });
  return relative(workspace, checkout.dir);
}

async function readText(
  runtime: AgentRuntime,
  userId: string,
  projectDir: string,
  path: string,
): Promise<string | undefined> {
  const envelope = await runtime.runner.call<{ content: string }>({
    tool: 'repo_reader',
    args: { operation: 'read_file', path },
    role: ROLES.contextCurator,
    userId,
    workspace: projectDir,
  });
  return envelope.status === 'ok' ? envelope.result.content : undefined;
}

async function listFiles(
  runtime: AgentRuntime,
  userId: string,
  projectDir: string,
  path: string,
  depth: number,
): Promise<string[]> {
  const envelope = await runtime.runner.call<{ entries: Array<{ path: string; type: string }> }>({
    tool: 'repo_reader',
    args: { operation: 'list_dir', path, depth },
    role: ROLES.contextCurator,
    userId,
    workspace: projectDir,
  });
  return envelope.status === 'ok'
    ? envelope.result.entries.filter((entry) => entry.type === 'file').map((entry) => entry.path)
    : [];
}

/** Names from `NAME=` lines of an env template. */
function templateNames(text: string): string[] {
  return [...text.matchAll(/^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=/gm)].map(
    (match) => match[1] as string,
  );
}

/**
 * Names the Python code cannot run without: os.environ["X"] raises when X is unset. `.get()` and
 * getenv() return None instead, so the code handles absence itself and the variable is optional.
 */
function pythonRequiredNames(text: string): string[] {
  return [
    ...new Set(
      [...text.matchAll(/os\.environ\[\s*["']([A-Za-z_][A-Za-z0-9_]*)["']\s*\]/g)].map(
        (match) => match[1] as string,
      ),
    ),
  ];
}

function detectStack(manifests: Record<string, string>): string[] {
  const text = Object.values(manifests).join('\n').toLowerCase();
  const stack = new Set<string>();
  for (const [tag, pattern] of [
    ['fastapi', /fastapi/],
    ['flask', /\bflask\b/],
    ['django', /\bdjango\b/],
    ['vite', /"vite"/],
    ['react', /"react"/],
    ['vue', /"vue"/],
    ['mangum', /mangum/],
    ['uvicorn', /uvicorn/],
  ] as const) {
    if (pattern.test(text)) stack.add(tag);
  }
  if (Object.keys(manifests).some((path) => path.endsWith('.toml') || path.endsWith('requirements.txt')))
    stack.add('python');
  if (Object.keys(manifests).some((path) => path.endsWith('package.json'))) stack.add('node');
  stack.add('aws');
  return [...stack].sort();
}

export async function readProjectContext(
  runtime: AgentRuntime,
  userId: string,
  projectDir: string,
): Promise<ProjectContext> {
  const files = await listFiles(runtime, userId, projectDir, '.', 3);
  const manifests: Record<string, string> = {};
  for (const path of MANIFESTS.filter((candidate) => files.includes(candidate))) {
    const text = await readText(runtime, userId, projectDir, path);
    if (text !== undefined) manifests[path] = text;
  }
  const required = new Set<string>();
  for (const path of ENV_TEMPLATE_FILES.filter((candidate) => files.includes(candidate))) {
    for (const name of templateNames((await readText(runtime, userId, projectDir, path)) ?? ''))
      required.add(name);
  }
  for (const path of files
    .filter((candidate) => candidate.startsWith('backend/') && candidate.endsWith('.py'))
    .slice(0, 40)) {
    for (const name of pythonRequiredNames((await readText(runtime, userId, projectDir, path)) ?? ''))
      required.add(name);
  }
  const hasBackend = files.some((path) => path.startsWith('backend/'));
  const hasFrontend = files.includes('frontend/package.json');
  const stack = detectStack(manifests);
  const criticalFiles = [
    ...Object.keys(manifests),
    ...files.filter((path) => /(^|\/)(main|app|lambda_handler)\.py$|vite\.config\.[jt]s$/.test(path)),
  ];
  const summary = [
    `The project in ${projectDir} is ${stack.filter((tag) => tag !== 'aws').join(', ') || 'of an unknown stack'}:`,
    hasBackend ? 'a backend in backend/' : 'no backend/ folder',
    hasFrontend
      ? 'and a frontend in frontend/ built with its package.json scripts.'
      : 'and no frontend/ folder.',
    `It has ${files.length} files; the ones that matter for deployment are ${criticalFiles.slice(0, 12).join(', ') || 'none found'}.`,
    required.size > 0
      ? `It reads these environment variables without a default: ${[...required].sort().join(', ')}.`
      : 'It needs no environment variables.',
  ].join(' ');
  // The summary is bounded by tokens, the unit every prompt is budgeted in.
  const bounded =
    countTextTokens(summary) <= SUMMARY_TOKEN_LIMIT ? summary : summary.slice(0, SUMMARY_TOKEN_LIMIT * 3);
  return {
    summary: bounded,
    criticalFiles: [...new Set(criticalFiles)],
    stack,
    hasBackend,
    hasFrontend,
    requiredEnv: [...required].sort(),
  };
}

export const contextSyncNode = observedNode(
  'context-sync',
  'context-curator',
  async (state: DeployStateType, config: LangGraphRunnableConfig): Promise<DeployUpdate> => {
    const runtime = runtimeOf(config);
    const session = sessionContextOf(config);
    const projectDir =
      state.projectDir ??
      (await projectFolder(state, runtime, config.signal ?? new AbortController().signal));
    // Values of the project's real .env files are masked in every sink from now on; only the
    // templates' variable names are ever read into the context.
    registerProjectSecrets(resolveInWorkspace(runtime.settings.workspace, projectDir, 'repo'));
    const context = await readProjectContext(runtime, session.userId, projectDir);
    // What memory knows about similar projects joins the context; this project's summary is kept for next time.
    return {
      projectDir,
      context: await withProjectMemory(runtime, state, projectDir, context, session.userId),
    };
  },
);
