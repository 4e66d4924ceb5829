/** Shared setup of the repo deployer tests: the sample app as a git repository inside the workspace. */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import type { ToolHarness } from '../helpers/tool-harness.js';

export const SHOP_EXAMPLE = resolve(import.meta.dirname, '..', '..', 'examples', 'shop');

/** Runs git in `dir` with a fixed identity, as a person's commit would. */
export function git(dir: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', ...args], {
    cwd: dir,
    env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1' },
  })
    .toString()
    .trim();
}

/**
 * Copies examples/shop into the workspace as `<name>/`, without build output, commits it, and
 * returns the workspace-relative path (the `repo` argument). With `frontend: true` a tiny built
 * frontend is committed too (force-added: dist/ is git-ignored), so packages carry one.
 */
export function makeShopRepo(
  harness: { settings: { workspace: string } },
  name: string,
  options: { frontend?: boolean } = {},
): string {
  const dir = join(harness.settings.workspace, name);
  cpSync(SHOP_EXAMPLE, dir, {
    recursive: true,
    filter: (source) => !['node_modules', 'dist', '__pycache__', '.venv'].includes(basename(source)),
  });
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'add', '-A');
  if (options.frontend) {
    mkdirSync(join(dir, 'frontend', 'dist'), { recursive: true });
    writeFileSync(
      join(dir, 'frontend', 'dist', 'index.html'),
      '<!doctype html><title>Shop</title><h1>Shop</h1>\n',
    );
    git(dir, 'add', '-f', 'frontend/dist/index.html');
  }
  git(dir, 'commit', '-q', '-m', 'shop');
  return name;
}

/** Commits a new version string in the backend, so the next package differs. */
export function commitNewVersion(harness: ToolHarness, repo: string, version: string): string {
  const dir = join(harness.settings.workspace, repo);
  const main = join(dir, 'backend', 'app', 'main.py');
  writeFileSync(main, readFileSync(main, 'utf8').replace(/VERSION = "[^"]*"/, `VERSION = "${version}"`));
  git(dir, 'commit', '-q', '-am', `version ${version}`);
  return git(dir, 'rev-parse', 'HEAD');
}

/** Extracts a zip into a fresh temporary folder with Python's zipfile (an independent reader). */
export function unzipToTemp(zipPath: string): string {
  const target = mkdtempSync(join(tmpdir(), 'repo-unzip-'));
  execFileSync('python3', [
    '-c',
    'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])',
    zipPath,
    target,
  ]);
  return target;
}

/** An API Gateway HTTP API (payload 2.0) event for `GET path`. */
export function httpApiEvent(path: string): Record<string, unknown> {
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: '',
    headers: { host: 'abc123.execute-api.us-east-1.amazonaws.com', 'user-agent': 'vitest' },
    requestContext: {
      accountId: '123456789012',
      apiId: 'abc123',
      domainName: 'abc123.execute-api.us-east-1.amazonaws.com',
      domainPrefix: 'abc123',
      http: { method: 'GET', path, protocol: 'HTTP/1.1', sourceIp: '203.0.113.10', userAgent: 'vitest' },
      requestId: 'test-request',
      routeKey: '$default',
      stage: '$default',
      time: '01/Jan/2026:00:00:00 +0000',
      timeEpoch: 1767225600000,
    },
    isBase64Encoded: false,
  };
}

/** Calls `lambda_handler.handler(event, None)` from an extracted package with the given Python. */
export function invokeHandlerLocally(
  packageDir: string,
  python: string,
  event: unknown,
): Record<string, unknown> {
  const script =
    'import json, sys\n' +
    'sys.path.insert(0, sys.argv[1])\n' +
    'from lambda_handler import handler\n' +
    'print(json.dumps(handler(json.loads(sys.argv[2]), None)))';
  const run = spawnSync(python, ['-c', script, packageDir, JSON.stringify(event)], {
    cwd: packageDir,
    env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1', PYTHONPATH: '' },
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`handler failed: ${run.stderr}`);
  const lines = run.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1] ?? '{}') as Record<string, unknown>;
}
