/** uv_client: `uv sync` / `uv run` for the workspace's Python project, always in the project's own .venv. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { CopilotError } from '../../errors/copilot-error.js';
import { venvBin } from '../../sandbox/paths.js';
import { defineTool, type ToolContext } from '../define-tool.js';
import { fieldError } from '../field-error.js';
import { findOnPath, isExecutableFile } from './child-env.js';
import { commandArgumentSchema, commandDenied } from './command-input.js';
import { workspaceDirectory, workspaceRelative } from './directories.js';
import { resolveInWorkspace } from './paths.js';
import { programPreview, runWorkspaceCommand, timeoutSecondsSchema } from './run-process.js';

/** The folder used when it holds a pyproject.toml and no project_dir is given. */
export const BACKEND_DIR = 'backend';

/** Single arguments that would reach outside the project environment or the workspace. */
const REFUSED_OPTIONS = ['--system', '--break-system-packages', '--directory', '--project', '--env-file'];
/** Subcommand pairs that install into the machine rather than the project. */
const REFUSED_PAIRS: Array<[string, string[]]> = [
  ['tool', ['install', 'upgrade', 'uninstall']],
  ['python', ['install', 'uninstall']],
  ['self', ['update']],
];

/**
 * Refuses uv arguments that leave the project's .venv: `--system` (so `pip install --system`),
 * `tool install`, `python install`, `self update`, and `--directory`/`--project`/`--env-file`,
 * which would point uv outside the chosen project.
 */
export function refuseUvArgs(args: readonly string[]): void {
  for (const [index, arg] of args.entries()) {
    const flag = arg.split('=')[0] ?? arg;
    if (REFUSED_OPTIONS.includes(flag))
      throw commandDenied(`uv: '${arg}' is not allowed; uv_client works only in the project's own .venv`);
    const pair = REFUSED_PAIRS.find(([first]) => first === arg);
    const next = args[index + 1];
    if (pair && next !== undefined && pair[1].includes(next))
      throw commandDenied(
        `uv: '${arg} ${next}' installs outside the project; only the project's .venv may change`,
      );
  }
}

const projectDirSchema = z
  .string()
  .min(1)
  .optional()
  .describe(
    'Folder of the Python project, relative to the workspace; default backend/ if it has a pyproject.toml, else the root.',
  );

const uvInput = z.discriminatedUnion('operation', [
  z.strictObject({
    operation: z.literal('sync'),
    frozen: z
      .boolean()
      .optional()
      .describe('Install exactly what uv.lock says without updating it (uv sync --frozen).'),
    project_dir: projectDirSchema,
    timeout_seconds: timeoutSecondsSchema,
  }),
  z.strictObject({
    operation: z.literal('run'),
    args: z
      .array(commandArgumentSchema)
      .min(1, 'args: the command to run, e.g. ["python", "-m", "pytest"]')
      .max(200, 'args: at most 200 arguments')
      .describe('Arguments after `uv run`, e.g. ["python", "-m", "compileall", "app"].'),
    project_dir: projectDirSchema,
    timeout_seconds: timeoutSecondsSchema,
  }),
]);

type UvArgs = z.infer<typeof uvInput>;

/** The project folder: the explicit one, else backend/ when it holds a pyproject.toml, else the workspace root. */
function projectDirectory(args: UvArgs, context: ToolContext): string {
  if (args.project_dir) return workspaceDirectory(context, args.project_dir, 'project_dir');
  const backend = resolveInWorkspace(context.workspace, BACKEND_DIR, 'project_dir');
  if (existsSync(join(backend, 'pyproject.toml'))) return backend;
  return resolveInWorkspace(context.workspace, '.', 'project_dir');
}

/**
 * The arguments after `uv`. Without a pyproject.toml, `run` gets `--no-project` so uv never
 * adopts a project found above the workspace; `sync` needs one.
 */
export function uvArgv(args: UvArgs, hasPyproject: boolean, projectLabel = '.'): string[] {
  if (args.operation === 'sync') {
    if (!hasPyproject)
      throw fieldError(
        'not_found',
        'project_dir',
        `uv sync needs a pyproject.toml; none in ${projectLabel}/ of the workspace`,
      );
    return ['sync', ...(args.frozen ? ['--frozen'] : [])];
  }
  refuseUvArgs(args.args);
  return ['run', ...(hasPyproject ? [] : ['--no-project']), ...args.args];
}

/** uv from PATH, else the one the sandbox install put in the project's sandbox venv; undefined when neither. */
export function findUv(pathValue: string | undefined = process.env.PATH): string | undefined {
  const onPath = findOnPath('uv', pathValue);
  if (onPath) return onPath;
  const bundled = venvBin('uv');
  return isExecutableFile(bundled) ? bundled : undefined;
}

/** uv for uv_client and shell_runner, or a not_found error saying how to install it. */
export function resolveUv(pathValue: string | undefined = process.env.PATH): string {
  const found = findUv(pathValue);
  if (found) return found;
  throw new CopilotError(
    'not_found',
    'uv is not installed: install it (https://docs.astral.sh/uv/) or run `npm run sandbox:install`',
  );
}

function plan(args: UvArgs, context: ToolContext): { cwd: string; argv: string[] } {
  const cwd = projectDirectory(args, context);
  const label = workspaceRelative(context, cwd);
  return { cwd, argv: uvArgv(args, existsSync(join(cwd, 'pyproject.toml')), label) };
}

export const uvClient = defineTool({
  name: 'uv_client',
  description:
    "Sync (operation 'sync') or run a command in (operation 'run') the workspace's Python project with uv, " +
    "always in the project's own .venv; system and global installs are refused.",
  input: uvInput,
  risk: 'read',
  iam: [],
  preview: async (args, context) =>
    programPreview(context, 'uv', () => plan(args, context), `uv ${args.operation}`),
  run: async (args, context) => {
    const { cwd, argv } = plan(args, context);
    return runWorkspaceCommand(
      {
        executable: resolveUv(),
        args: argv,
        display: ['uv', ...argv],
        cwd,
        timeoutSeconds: args.timeout_seconds,
        env: { UV_PROJECT_ENVIRONMENT: join(cwd, '.venv') },
        // An activated virtualenv or UV_SYSTEM_PYTHON in the parent would pull uv off the project's .venv.
        unsetEnv: ['VIRTUAL_ENV', 'UV_SYSTEM_PYTHON', 'UV_PROJECT_ENVIRONMENT', 'CONDA_PREFIX'],
      },
      context,
    );
  },
});
