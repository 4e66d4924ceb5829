/**
 * The local AWS sandbox: moto's server on a free loopback port, owned by this process. The
 * emulator watches a pipe from us and exits when we do, however we die.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { CopilotError } from '../errors/copilot-error.js';
import { installSandbox } from './install.js';
import { SANDBOX_LAUNCHER, venvBin } from './paths.js';

export interface Sandbox {
  /** The value to use as AWS_ENDPOINT_URL. */
  endpointUrl: string;
  port: number;
  pid: number;
  /** Wipes every resource in the emulator (between test files). */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

export interface StartSandboxOptions {
  env?: NodeJS.ProcessEnv;
  /** Fixed port; 0 or absent lets the OS choose a free one. */
  port?: number;
  onProgress?: (line: string) => void;
  startTimeoutMs?: number;
}

/**
 * Credentials for the emulator; it accepts any, and these can never work on real AWS. A provider
 * rather than an object, because the SDK annotates the credentials object it is given.
 */
export const SANDBOX_CREDENTIALS = async () => ({ accessKeyId: 'testing', secretAccessKey: 'testing' });

async function configureEmulator(endpointUrl: string): Promise<void> {
  // The emulator cannot run Lambda code in containers here; keep functions as stored artifacts.
  const response = await fetch(`${endpointUrl}/moto-api/config`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ lambda: { use_docker: false } }),
  });
  if (!response.ok)
    throw new CopilotError('sandbox_unavailable', `emulator config endpoint answered ${response.status}`);
}

function readFirstLine(child: ChildProcess, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new CopilotError(
          'sandbox_unavailable',
          `the AWS emulator did not start within ${timeoutMs} ms:\n${stderr}`,
        ),
      );
    }, timeoutMs);
    lines.once('line', (line) => {
      clearTimeout(timer);
      lines.close();
      resolve(line);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(
        new CopilotError(
          'sandbox_unavailable',
          `the AWS emulator exited with ${code} before listening:\n${stderr}`,
        ),
      );
    });
  });
}

export async function startSandbox(options: StartSandboxOptions = {}): Promise<Sandbox> {
  const env = options.env ?? process.env;
  await installSandbox({ env, ...(options.onProgress ? { onProgress: options.onProgress } : {}) });
  const child = spawn(venvBin('python', env), [SANDBOX_LAUNCHER], {
    // stdin stays an open pipe: its end of file is how the emulator learns we are gone.
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...env, AWS_COPILOT_SANDBOX_PORT: String(options.port ?? 0), PYTHONUNBUFFERED: '1' },
  });
  const first = await readFirstLine(child, options.startTimeoutMs ?? 60_000);
  const { host, port } = JSON.parse(first) as { host: string; port: number };
  child.stdout?.resume();
  child.stderr?.resume();
  const endpointUrl = `http://${host}:${port}`;
  await configureEmulator(endpointUrl);

  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    endpointUrl,
    port,
    pid: child.pid as number,
    reset: async () => {
      const response = await fetch(`${endpointUrl}/moto-api/reset`, { method: 'POST' });
      if (!response.ok)
        throw new CopilotError('sandbox_unavailable', `emulator reset answered ${response.status}`);
      await configureEmulator(endpointUrl);
    },
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.stdin?.end();
        child.kill('SIGTERM');
        const forced = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(forced);
      }
    },
  };
}
