/** Installs the emulator (moto server) and uv into the project-local virtual environment, once. */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CopilotError } from '../errors/copilot-error.js';
import { SANDBOX_REQUIREMENTS, sandboxVenvDir, venvBin } from './paths.js';

export interface InstallOptions {
  env?: NodeJS.ProcessEnv;
  onProgress?: (line: string) => void;
}

function run(command: string, args: string[], onProgress?: (line: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let tail = '';
    const collect = (chunk: Buffer) => {
      tail = (tail + chunk.toString()).slice(-4000);
      for (const line of chunk.toString().split('\n')) if (line.trim()) onProgress?.(line.trimEnd());
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('error', (error) =>
      reject(
        new CopilotError(
          'sandbox_unavailable',
          `cannot run ${command}: ${error.message}; install Python 3.10 or newer`,
          {
            cause: error,
          },
        ),
      ),
    );
    child.on('exit', (code) =>
      code === 0
        ? resolve()
        : reject(
            new CopilotError(
              'sandbox_unavailable',
              `${command} ${args.join(' ')} exited with ${code}:\n${tail}`,
            ),
          ),
    );
  });
}

function pythonCommand(env: NodeJS.ProcessEnv): string {
  return env.AWS_COPILOT_PYTHON || 'python3';
}

/** True when the venv holds exactly the pinned requirements. */
export async function isSandboxInstalled(env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  const stamp = join(sandboxVenvDir(env), '.aws-copilot-requirements');
  if (!existsSync(venvBin('python', env)) || !existsSync(stamp)) return false;
  const [wanted, installed] = await Promise.all([
    requirementsHash(),
    readFile(stamp, 'utf8').catch(() => ''),
  ]);
  return wanted === installed.trim();
}

async function requirementsHash(): Promise<string> {
  return createHash('sha256')
    .update(await readFile(SANDBOX_REQUIREMENTS))
    .digest('hex');
}

/** Creates the venv and installs the pinned emulator; a no-op when already done. */
export async function installSandbox(options: InstallOptions = {}): Promise<void> {
  const env = options.env ?? process.env;
  if (await isSandboxInstalled(env)) return;
  const venv = sandboxVenvDir(env);
  options.onProgress?.(`installing the AWS emulator (moto) into ${venv} ...`);
  if (!existsSync(venvBin('python', env)))
    await run(pythonCommand(env), ['-m', 'venv', venv], options.onProgress);
  await run(
    venvBin('python', env),
    ['-m', 'pip', 'install', '--disable-pip-version-check', '-q', '-r', SANDBOX_REQUIREMENTS],
    options.onProgress,
  );
  await writeFile(join(venv, '.aws-copilot-requirements'), `${await requirementsHash()}\n`);
  options.onProgress?.('AWS emulator installed');
}
