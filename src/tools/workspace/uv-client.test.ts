import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, expectOk } from '../../../test/helpers/envelopes.js';
import { createToolHarness, type ToolHarness } from '../../../test/helpers/tool-harness.js';
import type { CommandResult } from './run-process.js';
import { refuseUvArgs, resolveUv, uvArgv } from './uv-client.js';

function uvInstalled(): boolean {
  try {
    resolveUv();
    return true;
  } catch {
    return false;
  }
}

const PYPROJECT =
  '[project]\nname = "fixture-backend"\nversion = "0.1.0"\nrequires-python = ">=3.9"\ndependencies = []\n';

describe('uvArgv', () => {
  it('builds sync and run argv', () => {
    expect(uvArgv({ operation: 'sync' }, true)).toEqual(['sync']);
    expect(uvArgv({ operation: 'sync', frozen: true }, true)).toEqual(['sync', '--frozen']);
    expect(uvArgv({ operation: 'run', args: ['python', '-V'] }, true)).toEqual(['run', 'python', '-V']);
    expect(uvArgv({ operation: 'run', args: ['python', '-V'] }, false)).toEqual([
      'run',
      '--no-project',
      'python',
      '-V',
    ]);
    expect(() => uvArgv({ operation: 'sync' }, false)).toThrow(/needs a pyproject.toml/);
  });

  it('refuses system and machine-wide installs', () => {
    for (const args of [
      ['--system'],
      ['uv', 'pip', 'install', '--system', 'requests'],
      ['uv', 'tool', 'install', 'ruff'],
      ['uv', 'python', 'install', '3.13'],
      ['uv', 'self', 'update'],
      ['--directory', '/', 'python'],
      ['--project=/etc', 'python'],
      ['--env-file', '/root/.env', 'python'],
    ]) {
      expect(() => refuseUvArgs(args), args.join(' ')).toThrow(
        expect.objectContaining({ code: 'command_denied' }),
      );
    }
    expect(() => refuseUvArgs(['python', '-m', 'pytest', 'tests/tool'])).not.toThrow();
  });
});

describe('uv_client', () => {
  let harness: ToolHarness;
  let workspace: string;

  beforeAll(() => {
    harness = createToolHarness({ endpointUrl: 'http://127.0.0.1:9' });
    workspace = harness.settings.workspace;
    mkdirSync(join(workspace, 'backend'));
    writeFileSync(join(workspace, 'backend', 'pyproject.toml'), PYPROJECT);
    mkdirSync(join(workspace, 'scripts'));
  });
  afterAll(() => harness.close());

  it('refuses --system before running anything', async () => {
    const error = expectError(
      await harness.run('uv_client', {
        operation: 'run',
        args: ['uv', 'pip', 'install', '--system', 'requests'],
      }),
    );
    expect(error).toMatchObject({ code: 'command_denied', field: 'args' });
    expect(error.message).toMatch(/project's own \.venv/);
  });

  it('refuses a project_dir outside the workspace', async () => {
    const error = expectError(await harness.run('uv_client', { operation: 'sync', project_dir: '..' }));
    expect(error).toMatchObject({ code: 'workspace_violation', field: 'project_dir' });
  });

  it('says sync needs a pyproject.toml', async () => {
    const error = expectError(await harness.run('uv_client', { operation: 'sync', project_dir: 'scripts' }));
    expect(error.code).toBe('not_found');
    expect(error.message).toMatch(/pyproject.toml/);
  });

  // uv comes from PATH or the sandbox venv (`npm run sandbox:install` puts it there).
  const installed = uvInstalled();
  describe.skipIf(!installed)(
    installed
      ? 'with uv installed'
      : 'skipped: uv is neither on PATH nor in the sandbox venv (npm run sandbox:install)',
    () => {
      it('syncs backend/ into backend/.venv', async () => {
        const result = expectOk<CommandResult>(await harness.run('uv_client', { operation: 'sync' }));
        expect(result).toMatchObject({ command: ['uv', 'sync'], cwd: 'backend', exit_code: 0 });
        expect(existsSync(join(workspace, 'backend', '.venv', 'pyvenv.cfg'))).toBe(true);
      });

      it('runs python in the project environment', async () => {
        const result = expectOk<CommandResult>(
          await harness.run('uv_client', {
            operation: 'run',
            args: ['python', '-c', 'import sys; print(2); print(sys.prefix)'],
          }),
        );
        expect(result.exit_code).toBe(0);
        const [two, prefix] = result.stdout.trim().split('\n');
        expect(two).toBe('2');
        expect(prefix).toBe(join(workspace, 'backend', '.venv'));
      });

      it('previews the command without running it', async () => {
        const envelope = await harness.preview('uv_client', { operation: 'sync', frozen: true });
        expect(envelope.status === 'ok' && envelope.preview?.summary).toContain(
          '`uv sync --frozen` in backend',
        );
      });
    },
  );
});
