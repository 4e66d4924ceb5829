/**
 * The deploy benchmark's baseline: what a careful person's script does to deploy the sample app
 * to Lambda, with no agents: the preflight commands, one package of the committed backend, the
 * AWS SDK calls.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { SANDBOX_CREDENTIALS } from '../../src/sandbox/sandbox.js';
import { checkoutRepository } from '../../src/tools/github/checkout.js';
import { buildLambdaPackage } from '../../src/tools/github/lambda-package.js';
import { resolvePnpm } from '../../src/tools/workspace/pnpm-client.js';
import { loadReplayClasses, type RecordedCommand, renameDeep, replayCommands } from './sdk-recorder.js';

const run = promisify(execFile);

export interface PlainDeployInput {
  endpoint: string;
  workspace: string;
  /** The agents' data folder: the uv dependency cache is shared, warm for both sides. */
  dataDir: string;
  /** Folder of a fresh copy of the app in the workspace; also the function's name. */
  repo: string;
  /** The function name the agents deployed, replaced by `repo` in every replayed input. */
  agentsName: string;
  commands: RecordedCommand[];
}

export interface PlainDeployRun {
  wallMs: number;
  preflightMs: number;
  packageMs: number;
  awsMs: number;
  zipSha256: string;
}

export async function plainDeploy(input: PlainDeployInput): Promise<PlainDeployRun> {
  const classes = await loadReplayClasses(input.commands);
  const dir = join(input.workspace, input.repo);
  const pnpm = resolvePnpm();
  const env = { ...process.env, npm_config_update_notifier: 'false' };
  const start = performance.now();
  // The preflight the agents run, one command after the other as a script would.
  await run(pnpm.executable, [...pnpm.prefixArgs, 'install', '--frozen-lockfile'], {
    cwd: join(dir, 'frontend'),
    env,
  });
  await run(pnpm.executable, [...pnpm.prefixArgs, 'run', 'build', '--mode', 'development'], {
    cwd: join(dir, 'frontend'),
    env,
  });
  await run('python3', ['-m', 'compileall', '-q', 'backend'], { cwd: dir, env });
  const packaged = performance.now();
  // The packaging the tool does: a clean checkout of the commit, its backend zipped (once, where
  // the agents' dry run and run each check out).
  const signal = new AbortController().signal;
  const workDir = await mkdtemp(join(tmpdir(), 'plain-deploy-'));
  let zip: Buffer;
  try {
    const checkout = await checkoutRepository({
      repo: input.repo,
      workDir,
      workspace: input.workspace,
      signal,
    });
    const pkg = await buildLambdaPackage({
      sourceDir: join(checkout.dir, 'backend'),
      git: checkout.git,
      runtime: 'python3.12',
      zipPath: join(input.workspace, `${input.repo}.zip`),
      dataDir: input.dataDir,
      signal,
      progress: () => {},
    });
    zip = await readFile(pkg.zip_path);
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
  const calling = performance.now();
  await replayCommands(input.commands, classes, {
    endpoint: input.endpoint,
    credentials: SANDBOX_CREDENTIALS,
    rewrite: (recorded) => withPackage(renameDeep(recorded, input.agentsName, input.repo), zip),
  });
  const end = performance.now();
  return {
    wallMs: end - start,
    preflightMs: packaged - start,
    packageMs: calling - packaged,
    awsMs: end - calling,
    zipSha256: createHash('sha256').update(zip).digest('hex'),
  };
}

/** CreateFunction / UpdateFunctionCode carry the script's own package, not the agents' bytes. */
function withPackage(input: unknown, zip: Buffer): unknown {
  const record = input as { Code?: { ZipFile?: unknown }; ZipFile?: unknown };
  if (record.Code?.ZipFile !== undefined) return { ...record, Code: { ...record.Code, ZipFile: zip } };
  if (record.ZipFile !== undefined) return { ...record, ZipFile: zip };
  return input;
}
