/** Runs a helper program (git, uv) with a signal, a clean environment and secrets masked out of its errors. */
import { spawn } from 'node:child_process';
import { CopilotError } from '../../errors/copilot-error.js';
import { childEnvironment } from '../workspace/child-env.js';

export interface RunCommandOptions {
  /** What the command does, for error messages ("git clone"). */
  what: string;
  cwd?: string;
  /** The child's environment; by default the parent's without credentials (childEnvironment). */
  env?: NodeJS.ProcessEnv;
  signal: AbortSignal;
  /** Exact strings to mask in any error text (tokens, auth headers). */
  secrets?: string[];
}

export interface CommandOutput {
  stdout: Buffer;
  stderr: string;
}

const STDERR_TAIL = 4000;

/** Replaces every secret with `***`; longest first so a secret containing another is masked whole. */
export function maskSecrets(text: string, secrets: string[] = []): string {
  let output = text;
  for (const secret of [...secrets].filter(Boolean).sort((a, b) => b.length - a.length))
    output = output.split(secret).join('***');
  return output;
}

export function runCommand(
  command: string,
  args: string[],
  options: RunCommandOptions,
): Promise<CommandOutput> {
  return new Promise((resolve, reject) => {
    if (options.signal.aborted) {
      reject(options.signal.reason);
      return;
    }
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? childEnvironment(process.env),
      stdio: ['ignore', 'pipe', 'pipe'],
      signal: options.signal,
    });
    const stdout: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-STDERR_TAIL);
    });
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (options.signal.aborted) {
        reject(options.signal.reason);
        return;
      }
      const hint = error.code === 'ENOENT' ? `${command} is not installed or not on PATH` : error.message;
      reject(new CopilotError('command_failed', `${options.what} failed: ${hint}`, { cause: error }));
    });
    child.on('close', (code) => {
      if (options.signal.aborted) {
        reject(options.signal.reason);
        return;
      }
      if (code === 0) {
        resolve({ stdout: Buffer.concat(stdout), stderr });
        return;
      }
      const detail = maskSecrets(stderr.trim(), options.secrets);
      reject(
        new CopilotError(
          'command_failed',
          `${options.what} failed (exit ${code})${detail ? `: ${detail}` : ''}`,
        ),
      );
    });
  });
}
