/**
 * Runs one local command the safe way, for shell_runner, pnpm_client and uv_client alike: an argv
 * without a shell, no stdin, a scrubbed environment, capped and redacted output, and on timeout or
 * cancellation the whole process group stopped, grandchildren included.
 */
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { z } from 'zod';
import { CopilotError } from '../../errors/copilot-error.js';
import { redactor } from '../../guardrails/redaction.js';
import type { ToolContext, ToolPreview } from '../define-tool.js';
import { CappedOutput } from './capped-output.js';
import { childEnvironment } from './child-env.js';
import { workspaceRelative } from './directories.js';

/** Grace between SIGTERM and SIGKILL when a command is stopped. */
const KILL_GRACE_MS = 1000;
/** How long stdout/stderr may stay open after the command exited (a straggler outside its group). */
const DRAIN_GRACE_MS = 2000;

export const timeoutSecondsSchema = z
  .number()
  .positive()
  .max(3600, 'timeout_seconds: at most 3600 (one hour)')
  .optional()
  .describe('Seconds before the command and everything it started are stopped; default from settings.');

/** What every command tool returns; a non-zero exit code is a normal result, not an error. */
export interface CommandResult {
  /** The argv that ran, as a person would type it. */
  command: string[];
  /** Working directory, relative to the workspace. */
  cwd: string;
  exit_code: number;
  stdout: string;
  stderr: string;
  duration_ms: number;
  /** True when stdout or stderr exceeded the output limit and its middle was dropped. */
  truncated: boolean;
}

export interface ProcessRequest {
  executable: string;
  args: readonly string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
  /** Bytes kept per stream. */
  outputLimit: number;
  signal?: AbortSignal;
  /** How the command is named in messages, e.g. `pnpm run build`. */
  label: string;
}

export interface ProcessOutcome {
  exitCode: number;
  stdout: string;
  stderr: string;
  truncated: boolean;
  durationMs: number;
}

function signalGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    // A negative pid addresses the process group the detached child leads.
    process.kill(process.platform === 'win32' ? pid : -pid, signal);
  } catch {
    // The group is already gone.
  }
}

/** Process groups still running; stopped if this process exits first, so no build outlives the copilot. */
const runningGroups = new Set<number>();
let exitHookInstalled = false;

function trackGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const group of runningGroups) signalGroup(group, 'SIGKILL');
    });
  }
  runningGroups.add(pid);
}

function lastOutput(stdout: CappedOutput, stderr: CappedOutput): string {
  const text = (stderr.text() || stdout.text()).trim();
  return text ? `; last output: ${text.slice(-500)}` : '';
}

/** Spawns the command and settles when it and its output are done; rejects on timeout, abort, or spawn failure. */
export function runProcess(request: ProcessRequest): Promise<ProcessOutcome> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const stdout = new CappedOutput(request.outputLimit);
    const stderr = new CappedOutput(request.outputLimit);
    const timers: NodeJS.Timeout[] = [];
    let stopReason: CopilotError | undefined;
    let settled = false;

    const child = spawn(request.executable, [...request.args], {
      cwd: request.cwd,
      env: request.env,
      shell: false,
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, so a timeout can stop everything the command started.
      detached: process.platform !== 'win32',
      windowsHide: true,
    });

    trackGroup(child.pid);
    const finish = (settle: () => void) => {
      if (settled) return;
      settled = true;
      if (child.pid !== undefined) runningGroups.delete(child.pid);
      for (const timer of timers) clearTimeout(timer);
      request.signal?.removeEventListener('abort', onAbort);
      settle();
    };
    const stop = (reason: CopilotError) => {
      if (stopReason || settled) return;
      stopReason = reason;
      signalGroup(child.pid, 'SIGTERM');
      timers.push(setTimeout(() => signalGroup(child.pid, 'SIGKILL'), KILL_GRACE_MS));
    };
    function onAbort() {
      const reason: unknown = request.signal?.reason;
      stop(
        reason instanceof CopilotError
          ? reason
          : new CopilotError('timeout', `${request.label} was cancelled and stopped`),
      );
    }

    child.stdout?.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', (error) =>
      finish(() =>
        reject(
          new CopilotError('command_failed', `could not start ${request.label}: ${error.message}`, {
            cause: error,
          }),
        ),
      ),
    );
    child.on('exit', () => {
      // Nothing the command started outlives it.
      signalGroup(child.pid, 'SIGKILL');
      timers.push(
        setTimeout(() => {
          child.stdout?.destroy();
          child.stderr?.destroy();
        }, DRAIN_GRACE_MS),
      );
    });
    child.on('close', (code, signal) =>
      finish(() => {
        if (stopReason) {
          const { code: errorCode, message, retryable } = stopReason;
          reject(new CopilotError(errorCode, `${message}${lastOutput(stdout, stderr)}`, { retryable }));
          return;
        }
        resolve({
          exitCode: code ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 0),
          stdout: stdout.text(),
          stderr: stderr.text(),
          truncated: stdout.truncated || stderr.truncated,
          durationMs: Date.now() - started,
        });
      }),
    );

    const seconds = Math.round((request.timeoutMs / 1000) * 10) / 10;
    timers.push(
      setTimeout(
        () =>
          stop(
            new CopilotError(
              'timeout',
              `${request.label} exceeded its ${seconds} s timeout; it and every process it started were stopped`,
            ),
          ),
        request.timeoutMs,
      ),
    );
    if (request.signal?.aborted) onAbort();
    else request.signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** An argv as a person would type it, for messages and previews. */
export function formatCommand(argv: readonly string[]): string {
  const text = argv.map((part) => (/^[\w@%+=:,./-]+$/.test(part) ? part : JSON.stringify(part))).join(' ');
  return text.length > 200 ? `${text.slice(0, 197)}...` : text;
}

export interface WorkspaceCommand {
  /** Absolute path of the program to start. */
  executable: string;
  /** Full argv after the executable. */
  args: string[];
  /** The argv people see (e.g. `pnpm install` when pnpm runs through node). */
  display: string[];
  /** Absolute working directory, already confined to the workspace. */
  cwd: string;
  timeoutSeconds?: number | undefined;
  /** Variables to add; already checked by the caller. */
  env?: Record<string, string> | undefined;
  /** Parent variables the command must not inherit beyond the credentials always removed. */
  unsetEnv?: string[];
}

/** Runs a command for a tool call: settings' timeout and output limit, the call's signal, redacted output. */
export async function runWorkspaceCommand(
  command: WorkspaceCommand,
  context: ToolContext,
): Promise<CommandResult> {
  const label = `\`${formatCommand(command.display)}\``;
  const cwd = workspaceRelative(context, command.cwd);
  const timeoutSeconds = command.timeoutSeconds ?? context.settings.shellTimeoutMs / 1000;
  context.progress(`running ${label} in ${cwd}`);
  const outcome = await runProcess({
    executable: command.executable,
    args: command.args,
    cwd: command.cwd,
    env: childEnvironment(process.env, command.env, command.unsetEnv),
    timeoutMs: Math.round(timeoutSeconds * 1000),
    outputLimit: context.settings.shellOutputLimit,
    signal: context.signal,
    label,
  });
  return {
    command: command.display,
    cwd,
    exit_code: outcome.exitCode,
    stdout: redactor.text(outcome.stdout),
    stderr: redactor.text(outcome.stderr),
    duration_ms: outcome.durationMs,
    truncated: outcome.truncated,
  };
}

/**
 * The preview of a local command: what would run and where, computed by `plan` without running
 * anything; a refusal `plan` throws becomes a warning, since the real call would fail the same way.
 */
export function localCommandPreview(
  context: ToolContext,
  plan: () => { cwd: string; display: string[] },
  fallback: string,
): ToolPreview {
  try {
    const { cwd, display } = plan();
    return {
      summary: `run \`${formatCommand(display)}\` in ${workspaceRelative(context, cwd)} (local; nothing changes in AWS)`,
      method: 'local-check',
      changes: [],
      warnings: [],
    };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { summary: fallback, method: 'local-check', changes: [], warnings: [message] };
  }
}

/** localCommandPreview for a tool bound to one program: `plan` gives its folder and the arguments after it. */
export function programPreview(
  context: ToolContext,
  program: string,
  plan: () => { cwd: string; argv: string[] },
  fallback: string,
): ToolPreview {
  return localCommandPreview(
    context,
    () => {
      const { cwd, argv } = plan();
      return { cwd, display: [program, ...argv] };
    },
    fallback,
  );
}
