/** Where the project's own files live, whether running from src/ (tests) or dist/ (the CLI). */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package root: two levels above this file in both src/sandbox and dist/sandbox. */
export const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export const SANDBOX_REQUIREMENTS = join(PACKAGE_ROOT, 'scripts', 'sandbox', 'requirements.txt');
export const SANDBOX_LAUNCHER = join(PACKAGE_ROOT, 'scripts', 'sandbox', 'moto_launcher.py');

/** The project-local virtual environment holding moto and uv (git-ignored). */
export function sandboxVenvDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.AWS_COPILOT_SANDBOX_VENV || join(PACKAGE_ROOT, '.sandbox-venv');
}

/** An executable of any virtual environment (`bin/`, or `Scripts/` on Windows). */
export function venvBinIn(venv: string, name: string): string {
  return join(venv, process.platform === 'win32' ? 'Scripts' : 'bin', name);
}

/** An executable of the sandbox's virtual environment. */
export function venvBin(name: string, env: NodeJS.ProcessEnv = process.env): string {
  return venvBinIn(sandboxVenvDir(env), name);
}
