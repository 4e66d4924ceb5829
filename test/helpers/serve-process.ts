/** `aws-copilot serve` as a real process: started, its start-up lines read, stopped or killed. */
import { type ChildProcess, spawn } from 'node:child_process';
import { CLI, REPO_ROOT } from './cli.js';

export interface Served {
  child: ChildProcess;
  url: string;
  /** The start-up URL's access token (single-user mode). */
  token: string | undefined;
  output: () => string;
}

/** Starts `aws-copilot serve --port 0 ...` (Node run with `nodeArgs`) and waits for its start-up lines. */
export function startServe(args: string[], env: NodeJS.ProcessEnv, nodeArgs: string[] = []): Promise<Served> {
  const child = spawn(process.execPath, [...nodeArgs, CLI, 'serve', '--port', '0', ...args], {
    cwd: REPO_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /open: (http:\/\/127\.0\.0\.1:\d+)\//.exec(stdout);
      if (match?.[1] && stdout.includes('Ctrl+C'))
        resolve({ child, url: match[1], token: /\?token=([\w-]+)/.exec(stdout)?.[1], output: () => stdout });
    });
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}:\n${stdout}\n${stderr}`)));
  });
}

/** Stops it as Ctrl+C would (SIGTERM) and resolves with its exit code. */
export function stopServe(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve(child.exitCode);
    child.once('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });
}
