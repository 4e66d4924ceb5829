/** shell_runner: one allow-listed build or test command, as an argv, inside the workspace; never a shell. */
import { z } from 'zod';
import { CopilotError } from '../../errors/copilot-error.js';
import { defineTool, type ToolContext } from '../define-tool.js';
import type { FieldError } from '../field-error.js';
import { findOnPath, refusedEnvReason } from './child-env.js';
import { commandDenied } from './command-input.js';
import { workspaceDirectory } from './directories.js';
import { refuseGlobalFlags, resolvePnpm } from './pnpm-client.js';
import { localCommandPreview, runWorkspaceCommand, timeoutSecondsSchema } from './run-process.js';
import { refuseUvArgs, resolveUv } from './uv-client.js';

/** A bare program name: no path separators, no shell syntax. */
const BARE_NAME = /^[A-Za-z0-9][A-Za-z0-9._+-]*$/;

/** Extra argument rules for programs that have a dedicated tool, so shell_runner is no way around them. */
const ARGUMENT_RULES: Record<string, (args: readonly string[]) => void> = {
  npm: (args) => refuseGlobalFlags('npm', args),
  pnpm: (args) => refuseGlobalFlags('pnpm', args),
  uv: refuseUvArgs,
};

const shellInput = z.strictObject({
  command: z
    .array(
      z
        .string()
        .max(100_000)
        .refine((part) => !part.includes('\0'), 'command items may not contain NUL bytes'),
    )
    .min(1, 'command: an argv array such as ["node", "--version"]; it needs at least the executable')
    .max(200, 'command: at most 200 items')
    .describe(
      'argv array, never a shell string: a bare executable name from the allow list, then its arguments, ' +
        'e.g. ["npm", "test"].',
    ),
  cwd: z
    .string()
    .min(1)
    .default('.')
    .describe('Working folder, relative to the workspace root; default the root.'),
  timeout_seconds: timeoutSecondsSchema,
  env: z
    .record(
      z
        .string()
        .regex(
          /^[A-Za-z_][A-Za-z0-9_]*$/,
          'environment variable names: letters, digits and _, not starting with a digit',
        ),
      z.string().max(32_768),
    )
    .superRefine((env, issues) => {
      for (const name of Object.keys(env)) {
        const reason = refusedEnvReason(name);
        if (reason) issues.addIssue({ code: 'custom', message: reason, path: [name] });
      }
    })
    .optional()
    .describe(
      'Extra environment variables (no credentials, no PATH); the parent environment minus credentials is kept.',
    ),
});

type ShellArgs = z.infer<typeof shellInput>;

function denied(message: string): FieldError {
  return commandDenied(message, 'command');
}

/** Checks the program against the allow list and its dedicated rules; returns its name. */
function checkCommand(command: readonly string[], allow: readonly string[]): string {
  const [program = '', ...args] = command;
  const allowed = allow.join(', ');
  if (!BARE_NAME.test(program)) {
    throw denied(
      `command[0] must be a bare executable name from the allow list (${allowed}), not a path or shell ` +
        `syntax: '${program}'`,
    );
  }
  if (!allow.includes(program)) {
    throw denied(
      `'${program}' is not in the allow list; shell_runner may start only: ${allowed} ` +
        '(setting shellAllow, env AWS_COPILOT_SHELL_ALLOW)',
    );
  }
  ARGUMENT_RULES[program]?.(args);
  return program;
}

/** The program's absolute path: found on the parent's PATH, never on one the call supplies. */
function executableOf(program: string): { executable: string; prefixArgs: string[] } {
  if (program === 'pnpm') return resolvePnpm();
  if (program === 'uv') return { executable: resolveUv(), prefixArgs: [] };
  const found = findOnPath(program, process.env.PATH);
  if (!found) throw new CopilotError('not_found', `'${program}' is allowed but was not found on PATH`);
  return { executable: found, prefixArgs: [] };
}

function plan(args: ShellArgs, context: ToolContext): { cwd: string; program: string } {
  const program = checkCommand(args.command, context.settings.shellAllow);
  return { cwd: workspaceDirectory(context, args.cwd, 'cwd'), program };
}

export const shellRunner = defineTool({
  name: 'shell_runner',
  description:
    'Run one allow-listed local build or test command (an argv array such as ["npm", "test"], no shell) in ' +
    'the workspace; returns exit code, stdout and stderr. A non-zero exit code is a normal result.',
  input: shellInput,
  risk: 'read',
  iam: [],
  preview: async (args, context) =>
    localCommandPreview(
      context,
      () => ({ cwd: plan(args, context).cwd, display: args.command }),
      `run ${args.command[0] ?? ''}`,
    ),
  run: async (args, context) => {
    const { cwd, program } = plan(args, context);
    const { executable, prefixArgs } = executableOf(program);
    return runWorkspaceCommand(
      {
        executable,
        args: [...prefixArgs, ...args.command.slice(1)],
        display: args.command,
        cwd,
        timeoutSeconds: args.timeout_seconds,
        env: args.env,
      },
      context,
    );
  },
});
