/**
 * A project-local Python virtual environment holding pinned requirements, installed once: a stamp
 * file records the hash of the requirements it was built from, so a changed pin reinstalls.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CopilotError } from '../errors/copilot-error.js';
import { venvBinIn } from './paths.js';

export interface PythonVenv {
  /** The venv folder (git-ignored). */
  directory: string;
  /** A pinned requirements file for `pip install -r`. */
  requirements: string;
  /** What it holds, for progress lines and errors, e.g. `the AWS emulator (moto)`. */
  label: string;
}

export interface InstallVenvOptions {
  env?: NodeJS.ProcessEnv;
  onProgress?: (line: string) => void;
}

const STAMP = '.aws-copilot-requirements';

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
          { cause: error },
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

async function requirementsHash(requirements: string): Promise<string> {
  return createHash('sha256')
    .update(await readFile(requirements))
    .digest('hex');
}

/** True when the venv holds exactly the pinned requirements. */
export async function isVenvInstalled(venv: PythonVenv): Promise<boolean> {
  const stamp = join(venv.directory, STAMP);
  if (!existsSync(venvBinIn(venv.directory, 'python')) || !existsSync(stamp)) return false;
  const [wanted, installed] = await Promise.all([
    requirementsHash(venv.requirements),
    readFile(stamp, 'utf8').catch(() => ''),
  ]);
  return wanted === installed.trim();
}

/** Creates the venv and installs the pinned requirements; a no-op when already done. */
export async function installVenv(venv: PythonVenv, options: InstallVenvOptions = {}): Promise<void> {
  if (await isVenvInstalled(venv)) return;
  const env = options.env ?? process.env;
  const python = venvBinIn(venv.directory, 'python');
  options.onProgress?.(`installing ${venv.label} into ${venv.directory} ...`);
  if (!existsSync(python))
    await run(env.AWS_COPILOT_PYTHON || 'python3', ['-m', 'venv', venv.directory], options.onProgress);
  await run(
    python,
    ['-m', 'pip', 'install', '--disable-pip-version-check', '-q', '-r', venv.requirements],
    options.onProgress,
  );
  await writeFile(join(venv.directory, STAMP), `${await requirementsHash(venv.requirements)}\n`);
  options.onProgress?.(`${venv.label} installed`);
}
