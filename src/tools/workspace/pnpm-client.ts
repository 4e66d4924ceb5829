/** pnpm_client: pnpm in the workspace's frontend/ only; no global installs, a frozen lockfile under CI. */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, join, resolve } from 'node:path';
import { z } from 'zod';
import { CopilotError } from '../../errors/copilot-error.js';
import { defineTool, type ToolContext } from '../define-tool.js';
import { findOnPath, isExecutableFile } from './child-env.js';
import { commandArgumentSchema, commandDenied } from './command-input.js';
import { resolveInWorkspace } from './paths.js';
import { formatCommand, programPreview, runWorkspaceCommand, timeoutSecondsSchema } from './run-process.js';

/** The folder pnpm_client always runs in, relative to the workspace. */
export const FRONTEND_DIR = 'frontend';

/** Options whose value is a separate argument, so it is not mistaken for the subcommand. */
const OPTIONS_WITH_VALUE = new Set(['--filter', '-F', '--reporter', '--loglevel', '--workspace-concurrency']);
const DIRECTORY_OPTIONS = new Set(['-C', '--dir', '--prefix']);
const GLOBAL_DIRECTORY_OPTION = /^--global-(?:dir|bin-dir)(?:=|$)/;
/** Subcommands (with their aliases) whose whole purpose is to rewrite the lockfile. */
const LOCKFILE_WRITERS = new Set([
  'add',
  'remove',
  'rm',
  'uninstall',
  'un',
  'update',
  'up',
  'upgrade',
  'dedupe',
  'import',
]);

/** True when the CI environment variable says this is a CI run. */
export function isCi(env: NodeJS.ProcessEnv = process.env): boolean {
  const value = env.CI?.trim().toLowerCase();
  return value !== undefined && value !== '' && value !== 'false' && value !== '0';
}

/** Refuses flags that make npm or pnpm install outside the project (`-g`, `--global`, `--location=global`). */
export function refuseGlobalFlags(program: string, args: readonly string[]): void {
  for (const arg of args) {
    const global =
      arg === '--global' ||
      /^--global=(?!false$)/.test(arg) ||
      arg === '--location=global' ||
      /^-[A-Za-z]*g[A-Za-z]*$/.test(arg);
    if (global)
      throw commandDenied(
        `${program}: '${arg}' would install globally; only the project's own dependencies may change`,
      );
  }
}

function subcommandOf(args: readonly string[]): { name: string | undefined; rest: string[] } {
  for (let index = 0; index < args.length; index++) {
    const arg = args[index] ?? '';
    if (OPTIONS_WITH_VALUE.has(arg) || DIRECTORY_OPTIONS.has(arg)) index++;
    else if (!arg.startsWith('-')) return { name: arg, rest: args.slice(index + 1) };
  }
  return { name: undefined, rest: [] };
}

/**
 * Drops `--dir`/`-C`/`--prefix` options that name the frontend folder itself (the spec's
 * `pnpm --dir frontend build`) and refuses any that point elsewhere: the folder is fixed.
 * `sameFolder` tells whether a value, read relative to the workspace, is the frontend folder.
 */
function withoutDirectoryOptions(args: readonly string[], sameFolder: (value: string) => boolean): string[] {
  const kept: string[] = [];
  for (let index = 0; index < args.length; index++) {
    const arg = args[index] ?? '';
    const [flag, inline] = arg.startsWith('--')
      ? [arg.split('=')[0] ?? arg, arg.split('=')[1]]
      : [arg, undefined];
    if (GLOBAL_DIRECTORY_OPTION.test(arg))
      throw commandDenied(`pnpm: '${arg}' is not allowed; pnpm_client installs nothing globally`);
    if (!DIRECTORY_OPTIONS.has(flag)) {
      kept.push(arg);
      continue;
    }
    const value = inline ?? args[++index];
    if (value === undefined || !sameFolder(value))
      throw commandDenied(
        `pnpm: '${flag} ${value ?? ''}' is not allowed; pnpm_client always runs in ${FRONTEND_DIR}/`,
      );
  }
  return kept;
}

/**
 * The arguments after `pnpm` for a pnpm_client call: refuses global installs, pnpm's own setup and
 * Node version management, and under CI keeps the lockfile frozen: `--frozen-lockfile` is added to
 * install, and `--no-frozen-lockfile` and the subcommands that rewrite the lockfile (add, remove,
 * update...) are refused. Pure, so the exact argv is testable.
 */
export function pnpmArgv(
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
  sameFolder: (value: string) => boolean = (value) => value.replace(/\/+$/, '') === FRONTEND_DIR,
): string[] {
  refuseGlobalFlags('pnpm', args);
  const argv = withoutDirectoryOptions(args, sameFolder);
  const { name, rest } = subcommandOf(argv);
  if (name === 'setup' || name === 'self-update')
    throw commandDenied(`pnpm ${name} changes pnpm itself for the whole machine; it is not allowed`);
  if (name === 'env' && !['list', 'ls', undefined].includes(rest.find((arg) => !arg.startsWith('-'))))
    throw commandDenied("pnpm env manages the machine's Node.js versions; only 'pnpm env list' is allowed");
  if (isCi(env)) {
    if (argv.some((arg) => arg === '--no-frozen-lockfile' || arg === '--frozen-lockfile=false'))
      throw commandDenied('pnpm: --no-frozen-lockfile is refused under CI; the lockfile must not change');
    if (name !== undefined && LOCKFILE_WRITERS.has(name))
      throw commandDenied(
        `pnpm ${name} rewrites the lockfile, which is refused under CI; change dependencies outside CI`,
      );
    if ((name === 'install' || name === 'i') && !argv.includes('--frozen-lockfile'))
      return [...argv, '--frozen-lockfile'];
  }
  return argv;
}

export interface PnpmBinary {
  /** The program to start. */
  executable: string;
  /** Arguments before pnpm's own (the script, when pnpm is a Node.js script run by this Node). */
  prefixArgs: string[];
}

function isNodeScript(path: string): boolean {
  if (['.js', '.cjs', '.mjs'].includes(extname(path))) return true;
  const head = readFileSync(path).subarray(0, 128).toString('utf8');
  return head.startsWith('#!') && (head.split('\n')[0] ?? '').includes('node');
}

/** pnpm from PATH, else the project's own `pnpm` dependency (a native binary or a Node.js script). */
export function resolvePnpm(pathValue: string | undefined = process.env.PATH): PnpmBinary {
  const onPath = findOnPath('pnpm', pathValue);
  if (onPath) return { executable: onPath, prefixArgs: [] };
  // pnpm's `exports` hides package.json from require.resolve, so look along the module paths.
  const searchPaths = createRequire(import.meta.url).resolve.paths('pnpm') ?? [];
  const manifestPath = searchPaths
    .map((folder) => join(folder, 'pnpm', 'package.json'))
    .find((path) => existsSync(path));
  if (!manifestPath) {
    throw new CopilotError(
      'not_found',
      'pnpm is not installed: install it (npm install -g pnpm) or run npm install',
    );
  }
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
    bin?: string | Record<string, string>;
  };
  const declared = typeof manifest.bin === 'string' ? manifest.bin : manifest.bin?.pnpm;
  for (const candidate of [declared, 'bin/pnpm.cjs', 'bin/pnpm.mjs']) {
    if (!candidate) continue;
    const file = resolve(dirname(manifestPath), candidate);
    if (!statSync(file, { throwIfNoEntry: false })?.isFile()) continue;
    if (isNodeScript(file)) return { executable: process.execPath, prefixArgs: [file] };
    if (isExecutableFile(file)) return { executable: file, prefixArgs: [] };
  }
  throw new CopilotError('not_found', `the pnpm package at ${dirname(manifestPath)} has no runnable pnpm`);
}

function frontendDirectory(context: ToolContext): string {
  const absolute = resolveInWorkspace(context.workspace, FRONTEND_DIR, 'frontend');
  if (!statSync(absolute, { throwIfNoEntry: false })?.isDirectory()) {
    throw new CopilotError(
      'not_found',
      `the workspace has no ${FRONTEND_DIR}/ folder; pnpm_client runs only in ${context.workspace}/${FRONTEND_DIR}`,
    );
  }
  return absolute;
}

const pnpmInput = z.strictObject({
  args: z
    .array(commandArgumentSchema)
    .min(1, 'args: at least one argument, e.g. ["install"] or ["run", "build"]')
    .max(200, 'args: at most 200 arguments')
    .describe('Arguments after `pnpm`, e.g. ["install"], ["run", "build"]; runs in frontend/.'),
  timeout_seconds: timeoutSecondsSchema,
});

function plan(args: z.infer<typeof pnpmInput>, context: ToolContext): { cwd: string; argv: string[] } {
  const cwd = frontendDirectory(context);
  const sameFolder = (value: string) => {
    try {
      return resolveInWorkspace(context.workspace, value, 'args') === cwd;
    } catch {
      return false;
    }
  };
  return { cwd, argv: pnpmArgv(args.args, process.env, sameFolder) };
}

export const pnpmClient = defineTool({
  name: 'pnpm_client',
  description:
    "Run pnpm in the workspace's frontend/ folder (install, run build, test); global installs are refused " +
    'and the lockfile is frozen under CI. Returns exit code, stdout and stderr.',
  input: pnpmInput,
  risk: 'read',
  iam: [],
  preview: async (args, context) =>
    programPreview(context, 'pnpm', () => plan(args, context), `pnpm ${formatCommand(args.args)}`),
  run: async (args, context) => {
    const { cwd, argv } = plan(args, context);
    const binary = resolvePnpm();
    return runWorkspaceCommand(
      {
        executable: binary.executable,
        args: [...binary.prefixArgs, ...argv],
        display: ['pnpm', ...argv],
        cwd,
        timeoutSeconds: args.timeout_seconds,
        // No update check against the registry on every call.
        env: { npm_config_update_notifier: 'false' },
      },
      context,
    );
  },
});
