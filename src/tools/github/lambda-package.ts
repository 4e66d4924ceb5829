/**
 * A Python Lambda package: the source folder's files plus its requirements installed as wheels
 * for Lambda's platform (no build scripts, no bytecode), cached per requirements text so the
 * second deploy of the same dependencies does not install anything.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { CopilotError } from '../../errors/copilot-error.js';
import { fieldError } from '../field-error.js';
import { childEnvironment } from '../workspace/child-env.js';
import { findUv } from '../workspace/uv-client.js';
import { type SelectedFile, selectFiles } from './file-selection.js';
import { type PackageResult, writeDeterministicZip, type ZipEntry } from './package-zip.js';
import { runCommand } from './process.js';

/** Lambda's x86_64 platform as wheel tags name it (Amazon Linux 2023 is glibc 2.34, manylinux2014 wheels run there). */
export const LAMBDA_PYTHON_PLATFORM = 'x86_64-manylinux2014';
/** Bump when the way dependencies are installed changes, so old cache entries are not reused. */
const CACHE_FORMAT = 'uv-target-v1';

export interface LambdaPackageRequest {
  /** The source folder (e.g. the checkout's backend/). */
  sourceDir: string;
  /** True when the folder is in a git work tree: its files are then what git tracks. */
  git: boolean;
  /** Lambda runtime, e.g. python3.12. */
  runtime: string;
  zipPath: string;
  dataDir: string;
  signal: AbortSignal;
  progress: (message: string) => void;
}

export interface LambdaPackage extends PackageResult {
  /** Files that came from installed requirements. */
  dependency_files: number;
  /** True when the requirements came from the cache. */
  dependency_cache_hit: boolean;
}

/** `python3.12` -> `3.12`; other runtimes have no Python dependencies to install. */
export function pythonVersionOf(runtime: string): string {
  const match = /^python(3\.\d+)$/.exec(runtime);
  if (!match?.[1])
    throw fieldError(
      'invalid_input',
      'runtime',
      `runtime: '${runtime}' is not a Python runtime (python3.9 ... python3.14)`,
    );
  return match[1];
}

/** uv from PATH, else the one in the project's sandbox environment. */
export function uvExecutable(): string {
  const found = findUv();
  if (found) return found;
  throw new CopilotError(
    'command_failed',
    'uv is needed to install the Lambda dependencies but was not found; install it (https://docs.astral.sh/uv/) or run npm run sandbox:install',
  );
}

function dependencyCacheKey(requirements: Buffer, pythonVersion: string): string {
  return createHash('sha256')
    .update(`${CACHE_FORMAT}\n${LAMBDA_PYTHON_PLATFORM}\n${pythonVersion}\n`)
    .update(requirements)
    .digest('hex');
}

/** Installs (or finds cached) dependencies; returns their folder. */
async function installRequirements(
  requirementsPath: string,
  pythonVersion: string,
  request: LambdaPackageRequest,
): Promise<{ dir: string; hit: boolean }> {
  const requirements = await readFile(requirementsPath);
  const cacheRoot = join(request.dataDir, 'dependency-cache');
  const dir = join(cacheRoot, dependencyCacheKey(requirements, pythonVersion));
  if (existsSync(dir)) return { dir, hit: true };
  await mkdir(cacheRoot, { recursive: true });
  const staging = `${dir}.${randomBytes(6).toString('hex')}.partial`;
  // uv runs outside the repository, so a uv.toml in it cannot redirect the install.
  const scratch = await mkdtemp(join(cacheRoot, 'run-'));
  request.progress(
    `installing the requirements for Lambda (${LAMBDA_PYTHON_PLATFORM}, Python ${pythonVersion})`,
  );
  try {
    await runCommand(
      uvExecutable(),
      [
        'pip',
        'install',
        '--quiet',
        '--target',
        staging,
        '--requirement',
        requirementsPath,
        '--python-platform',
        LAMBDA_PYTHON_PLATFORM,
        '--python-version',
        pythonVersion,
        '--only-binary',
        ':all:',
      ],
      {
        what: 'uv pip install of the requirements',
        cwd: scratch,
        env: childEnvironment(process.env, { UV_NO_PROGRESS: '1' }),
        signal: request.signal,
      },
    );
    await rename(staging, dir).catch(async (error: NodeJS.ErrnoException) => {
      // Another deploy filled the same cache entry first: theirs is identical, keep it.
      if (!existsSync(dir)) throw error;
      await rm(staging, { recursive: true, force: true });
    });
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  return { dir, hit: false };
}

/** Installed files that do not belong in a Lambda package: console scripts (their shebangs name this machine's Python) and bytecode. */
function isDependencyNoise(file: SelectedFile): boolean {
  return file.path.startsWith('bin/') || file.path.includes('__pycache__/') || file.path.endsWith('.pyc');
}

export async function buildLambdaPackage(request: LambdaPackageRequest): Promise<LambdaPackage> {
  const pythonVersion = pythonVersionOf(request.runtime);
  const source = await selectFiles(request.sourceDir, {
    mode: request.git ? 'git' : 'gitignore',
    signal: request.signal,
  });
  const entries = new Map<string, ZipEntry>();
  let dependencyFiles = 0;
  let hit = false;
  const requirementsPath = join(request.sourceDir, 'requirements.txt');
  if (source.some((file) => file.path === 'requirements.txt')) {
    const installed = await installRequirements(requirementsPath, pythonVersion, request);
    hit = installed.hit;
    const dependencies = await selectFiles(installed.dir, {
      mode: 'all',
      excludeSecrets: false,
      signal: request.signal,
    });
    for (const file of dependencies) {
      if (isDependencyNoise(file)) continue;
      entries.set(file.path, file);
      dependencyFiles += 1;
    }
  }
  // The function's own files win over a dependency file of the same name.
  for (const file of source) entries.set(file.path, file);
  const result = await writeDeterministicZip([...entries.values()], request.zipPath);
  return { ...result, dependency_files: dependencyFiles, dependency_cache_hit: hit };
}
