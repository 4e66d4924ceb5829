/** Installs the emulator (moto server) and uv into the project-local virtual environment, once. */
import { SANDBOX_REQUIREMENTS, sandboxVenvDir } from './paths.js';
import { type InstallVenvOptions, installVenv, isVenvInstalled, type PythonVenv } from './python-venv.js';

export type InstallOptions = InstallVenvOptions;

function sandboxVenv(env: NodeJS.ProcessEnv): PythonVenv {
  return {
    directory: sandboxVenvDir(env),
    requirements: SANDBOX_REQUIREMENTS,
    label: 'the AWS emulator (moto)',
  };
}

/** True when the venv holds exactly the pinned requirements. */
export async function isSandboxInstalled(env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  return isVenvInstalled(sandboxVenv(env));
}

/** Creates the venv and installs the pinned emulator; a no-op when already done. */
export async function installSandbox(options: InstallOptions = {}): Promise<void> {
  await installVenv(sandboxVenv(options.env ?? process.env), options);
}
