import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { expectError, expectOk } from '../../../test/helpers/envelopes.js';
import { createToolHarness, type ToolHarness } from '../../../test/helpers/tool-harness.js';
import type { CommandResult } from './run-process.js';

/** Gone, or a zombie nobody reaps (a container's init may not): either way no longer running. */
function isGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return true;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return true;
  }
}

async function waitUntilGone(pid: number): Promise<boolean> {
  for (let attempt = 0; attempt < 100; attempt++) {
    if (isGone(pid)) return true;
    await sleep(50);
  }
  return false;
}

async function waitForFile(path: string): Promise<void> {
  for (let attempt = 0; attempt < 200 && !existsSync(path); attempt++) await sleep(50);
}

/** A child that starts a grandchild, records both pids, then hangs forever. */
const HANGING_SCRIPT = `
const { spawn } = require('node:child_process');
const grandchild = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
require('node:fs').writeFileSync('pids.json', JSON.stringify({ child: process.pid, grandchild: grandchild.pid }));
setInterval(() => {}, 1000);
`;

describe('shell_runner', () => {
  let harness: ToolHarness;
  let workspace: string;
  const saved = { ...process.env };

  beforeAll(() => {
    harness = createToolHarness({ endpointUrl: 'http://127.0.0.1:9', settings: { shellOutputLimit: 1024 } });
    workspace = harness.settings.workspace;
    mkdirSync(join(workspace, 'app'));
    writeFileSync(join(workspace, 'hang.js'), HANGING_SCRIPT);
  });
  afterEach(() => {
    for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
    Object.assign(process.env, saved);
  });
  afterAll(() => harness.close());

  it('runs an allowed command and captures stdout and stderr separately', async () => {
    const result = expectOk<CommandResult>(
      await harness.run('shell_runner', {
        command: ['node', '-e', 'console.log(1); console.error("warn")'],
      }),
    );
    expect(result).toMatchObject({
      command: ['node', '-e', 'console.log(1); console.error("warn")'],
      cwd: '.',
      exit_code: 0,
      stdout: '1\n',
      stderr: 'warn\n',
      truncated: false,
    });
    expect(result.duration_ms).toBeGreaterThanOrEqual(0);
  });

  it('runs in the given cwd, with stdin closed', async () => {
    const result = expectOk<CommandResult>(
      await harness.run('shell_runner', {
        command: ['node', '-e', 'process.stdin.on("end", () => console.log(process.cwd())).resume()'],
        cwd: 'app',
      }),
    );
    expect(result.cwd).toBe('app');
    expect(result.stdout.trim()).toBe(join(workspace, 'app'));
  });

  it('returns a non-zero exit as a normal result', async () => {
    const envelope = await harness.run<CommandResult>('shell_runner', {
      command: ['node', '-e', 'console.error("boom"); process.exit(3)'],
    });
    expect(envelope.status).toBe('ok');
    expect(expectOk(envelope)).toMatchObject({ exit_code: 3, stderr: 'boom\n' });
  });

  it('refuses executables outside the allow list, naming the list', async () => {
    for (const command of [
      ['curl', 'https://example.com'],
      ['bash', '-c', 'echo hi && rm -rf /'],
    ]) {
      const error = expectError(await harness.run('shell_runner', { command }));
      expect(error).toMatchObject({ code: 'command_denied', field: 'command' });
      expect(error.message).toMatch(/not in the allow list/);
      expect(error.message).toContain('node, npm, npx, pnpm');
    }
  });

  it('refuses paths and shell syntax as the executable', async () => {
    for (const program of ['/bin/sh', './x', '../node', 'node;rm', 'echo hi']) {
      const error = expectError(await harness.run('shell_runner', { command: [program] }));
      expect(error.code, program).toBe('command_denied');
      expect(error.message).toMatch(/bare executable name/);
    }
  });

  it('refuses global npm installs', async () => {
    const error = expectError(
      await harness.run('shell_runner', { command: ['npm', 'install', '-g', 'left-pad'] }),
    );
    expect(error.code).toBe('command_denied');
  });

  it('refuses a cwd outside the workspace and a missing one', async () => {
    const outside = expectError(
      await harness.run('shell_runner', { command: ['node', '--version'], cwd: '..' }),
    );
    expect(outside).toMatchObject({ code: 'workspace_violation', field: 'cwd' });
    const missing = expectError(
      await harness.run('shell_runner', { command: ['node', '--version'], cwd: 'nope' }),
    );
    expect(missing).toMatchObject({ code: 'not_found', field: 'cwd' });
  });

  it('stops a command at its timeout, grandchildren included', async () => {
    const error = expectError(
      await harness.run('shell_runner', { command: ['node', 'hang.js'], timeout_seconds: 3 }),
    );
    expect(error.code).toBe('timeout');
    expect(error.message).toMatch(/stopped/);
    const pids = JSON.parse(readFileSync(join(workspace, 'pids.json'), 'utf8')) as Record<string, number>;
    expect(await waitUntilGone(pids.child ?? 0)).toBe(true);
    expect(await waitUntilGone(pids.grandchild ?? 0)).toBe(true);
  });

  it('stops the command when the caller aborts', async () => {
    const pidFile = join(workspace, 'pids.json');
    rmSync(pidFile, { force: true });
    const controller = new AbortController();
    const call = harness.runner.call({
      tool: 'shell_runner',
      args: { command: ['node', 'hang.js'] },
      signal: controller.signal,
    });
    await waitForFile(pidFile);
    await sleep(100);
    controller.abort();
    expect((await call).status).toBe('error');
    const pids = JSON.parse(readFileSync(pidFile, 'utf8')) as Record<string, number>;
    expect(await waitUntilGone(pids.child ?? 0)).toBe(true);
    expect(await waitUntilGone(pids.grandchild ?? 0)).toBe(true);
  });

  it('caps each stream at the output limit and says so', async () => {
    const result = expectOk<CommandResult>(
      await harness.run('shell_runner', {
        command: [
          'node',
          '-e',
          'process.stdout.write("a" + "x".repeat(300000) + "z"); console.error("small")',
        ],
      }),
    );
    expect(result.truncated).toBe(true);
    expect(Buffer.byteLength(result.stdout)).toBeLessThanOrEqual(1024);
    expect(result.stdout.startsWith('ax')).toBe(true);
    expect(result.stdout.endsWith('xz')).toBe(true);
    expect(result.stdout).toMatch(/output truncated: 300002 bytes/);
    expect(result.stderr).toBe('small\n');
  });

  it('keeps credentials in the parent environment away from the child', async () => {
    process.env.AWS_SECRET_ACCESS_KEY = 'test-only-not-a-real-key';
    process.env.AWS_ACCESS_KEY_ID = 'test-only-key-id';
    process.env.GITHUB_TOKEN = 'test-only-token';
    process.env.SHELL_RUNNER_TEST_PLAIN = 'visible';
    const script =
      'const names = ["AWS_SECRET_ACCESS_KEY", "AWS_ACCESS_KEY_ID", "GITHUB_TOKEN", "SHELL_RUNNER_TEST_PLAIN", "GREETING"];' +
      'console.log(JSON.stringify(names.map((name) => [name, process.env[name] ?? null])))';
    const result = expectOk<CommandResult>(
      await harness.run('shell_runner', { command: ['node', '-e', script], env: { GREETING: 'hello' } }),
    );
    expect(Object.fromEntries(JSON.parse(result.stdout) as Array<[string, string | null]>)).toEqual({
      AWS_SECRET_ACCESS_KEY: null,
      AWS_ACCESS_KEY_ID: null,
      GITHUB_TOKEN: null,
      SHELL_RUNNER_TEST_PLAIN: 'visible',
      GREETING: 'hello',
    });
  });

  it('refuses env that would hijack the executable or pass credentials', async () => {
    const path = expectError(
      await harness.run('shell_runner', { command: ['node', '--version'], env: { PATH: workspace } }),
    );
    expect(path).toMatchObject({ code: 'invalid_input', field: 'env.PATH' });
    const secret = expectError(
      await harness.run('shell_runner', {
        command: ['node', '--version'],
        env: { AWS_SECRET_ACCESS_KEY: 'x' },
      }),
    );
    expect(secret).toMatchObject({ code: 'invalid_input', field: 'env.AWS_SECRET_ACCESS_KEY' });
  });

  it('redacts secrets the command prints', async () => {
    const result = expectOk<CommandResult>(
      await harness.run('shell_runner', {
        command: ['node', '-e', 'console.log("key AKIAIOSFODNN7EXAMPLE here")'],
      }),
    );
    expect(result.stdout).toBe('key *** here\n');
  });

  it('previews without running, turning refusals into warnings', async () => {
    const good = await harness.preview('shell_runner', { command: ['node', 'hang.js'] });
    expect(good.status === 'ok' && good.preview).toMatchObject({
      method: 'local-check',
      summary: expect.stringContaining('`node hang.js` in .'),
      warnings: [],
    });
    const bad = await harness.preview('shell_runner', { command: ['bash', '-c', 'ls'] });
    expect(bad.status === 'ok' && bad.preview?.warnings[0]).toMatch(/not in the allow list/);
  });

  it('rejects a shell string or an empty command as input', async () => {
    const empty = expectError(await harness.run('shell_runner', { command: [] }));
    expect(empty).toMatchObject({ code: 'invalid_input', field: 'command' });
    const text = expectError(await harness.run('shell_runner', { command: 'npm test' }));
    expect(text).toMatchObject({ code: 'invalid_input', field: 'command' });
  });
});
