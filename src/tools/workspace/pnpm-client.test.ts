import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { expectError, expectOk } from '../../../test/helpers/envelopes.js';
import { createToolHarness, type ToolHarness } from '../../../test/helpers/tool-harness.js';
import { isCi, pnpmArgv, resolvePnpm } from './pnpm-client.js';
import type { CommandResult } from './run-process.js';

const CI = { CI: 'true' };
const LOCAL = {};

describe('pnpmArgv', () => {
  it('adds --frozen-lockfile to install under CI only', () => {
    expect(pnpmArgv(['install'], CI)).toEqual(['install', '--frozen-lockfile']);
    expect(pnpmArgv(['i'], CI)).toEqual(['i', '--frozen-lockfile']);
    expect(pnpmArgv(['--filter', 'web', 'install'], CI)).toEqual([
      '--filter',
      'web',
      'install',
      '--frozen-lockfile',
    ]);
    expect(pnpmArgv(['install', '--frozen-lockfile'], CI)).toEqual(['install', '--frozen-lockfile']);
    expect(pnpmArgv(['install'], LOCAL)).toEqual(['install']);
    expect(pnpmArgv(['install'], { CI: 'false' })).toEqual(['install']);
    expect(pnpmArgv(['run', 'build'], CI)).toEqual(['run', 'build']);
  });

  it('refuses --no-frozen-lockfile under CI', () => {
    expect(() => pnpmArgv(['install', '--no-frozen-lockfile'], CI)).toThrow(/refused under CI/);
    expect(pnpmArgv(['install', '--no-frozen-lockfile'], LOCAL)).toEqual(['install', '--no-frozen-lockfile']);
  });

  it('refuses the subcommands that rewrite the lockfile under CI only', () => {
    for (const args of [['add', 'left-pad'], ['remove', 'left-pad'], ['up'], ['--filter', 'web', 'update']])
      expect(() => pnpmArgv(args, CI), args.join(' ')).toThrow(
        /rewrites the lockfile, which is refused under CI/,
      );
    expect(pnpmArgv(['add', 'left-pad'], LOCAL)).toEqual(['add', 'left-pad']);
  });

  it('refuses global installs and machine-wide commands', () => {
    for (const args of [
      ['add', '-g', 'typescript'],
      ['add', '-Dg', 'typescript'],
      ['add', '--global', 'typescript'],
      ['link', '--global'],
      ['install', '--location=global'],
      ['setup'],
      ['self-update'],
      ['env', 'use', '--global', '20'],
      ['env', 'use', '20'],
      ['add', '--global-dir=/tmp/x', 'typescript'],
    ]) {
      expect(() => pnpmArgv(args, LOCAL), args.join(' ')).toThrow(
        expect.objectContaining({ code: 'command_denied' }),
      );
    }
    expect(pnpmArgv(['env', 'list'], LOCAL)).toEqual(['env', 'list']);
  });

  it('drops a --dir naming frontend and refuses any other', () => {
    expect(pnpmArgv(['--dir', 'frontend', 'build'], LOCAL)).toEqual(['build']);
    expect(pnpmArgv(['--dir=frontend/', 'build'], LOCAL)).toEqual(['build']);
    expect(() => pnpmArgv(['-C', '/etc', 'install'], LOCAL)).toThrow(/always runs in frontend/);
    expect(() => pnpmArgv(['--prefix', '..', 'install'], LOCAL)).toThrow(/always runs in frontend/);
  });

  it('reads CI the way CI systems set it', () => {
    expect(isCi({ CI: '1' })).toBe(true);
    expect(isCi({ CI: 'true' })).toBe(true);
    expect(isCi({ CI: '0' })).toBe(false);
    expect(isCi({})).toBe(false);
  });
});

describe('resolvePnpm', () => {
  it("falls back to the project's own pnpm when PATH has none", () => {
    const binary = resolvePnpm('');
    expect(existsSync(binary.executable)).toBe(true);
    if (binary.prefixArgs.length > 0) expect(binary.executable).toBe(process.execPath);
  });
});

describe('pnpm_client', () => {
  let harness: ToolHarness;
  let workspace: string;
  const savedCi = process.env.CI;

  beforeAll(() => {
    harness = createToolHarness({ endpointUrl: 'http://127.0.0.1:9' });
    workspace = harness.settings.workspace;
  });
  afterEach(() => {
    if (savedCi === undefined) delete process.env.CI;
    else process.env.CI = savedCi;
  });
  afterAll(() => harness.close());

  /** frontend/ with a dependency-free package.json holding `scripts`; returns its path. */
  function writeFrontend(scripts: Record<string, string>): string {
    const frontend = join(workspace, 'frontend');
    mkdirSync(frontend, { recursive: true });
    writeFileSync(
      join(frontend, 'package.json'),
      JSON.stringify({ name: 'fixture-frontend', version: '1.0.0', private: true, scripts }),
    );
    return frontend;
  }

  it('explains that frontend/ is missing', async () => {
    const error = expectError(await harness.run('pnpm_client', { args: ['--version'] }));
    expect(error.code).toBe('not_found');
    expect(error.message).toMatch(/no frontend\/ folder/);
  });

  it('prints its version from frontend/', async () => {
    mkdirSync(join(workspace, 'frontend'), { recursive: true });
    const result = expectOk<CommandResult>(await harness.run('pnpm_client', { args: ['--version'] }));
    expect(result).toMatchObject({ command: ['pnpm', '--version'], cwd: 'frontend', exit_code: 0 });
    expect(result.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('builds a frontend without dependencies (no network)', async () => {
    const frontend = writeFrontend({ build: 'node build.js' });
    writeFileSync(
      join(frontend, 'build.js'),
      "const fs = require('node:fs'); fs.mkdirSync('dist', { recursive: true });" +
        "fs.writeFileSync('dist/index.html', '<p>built</p>'); console.log('build done');",
    );
    const result = expectOk<CommandResult>(await harness.run('pnpm_client', { args: ['run', 'build'] }));
    expect(result.exit_code).toBe(0);
    expect(result.stdout).toContain('build done');
    expect(readFileSync(join(frontend, 'dist', 'index.html'), 'utf8')).toBe('<p>built</p>');
  });

  it('returns a failing script as a non-zero exit', async () => {
    writeFrontend({ test: 'node -e "process.exit(2)"' });
    const result = expectOk<CommandResult>(await harness.run('pnpm_client', { args: ['run', 'test'] }));
    expect(result.exit_code).not.toBe(0);
  });

  it('refuses a global install before running anything', async () => {
    mkdirSync(join(workspace, 'frontend'), { recursive: true });
    const error = expectError(await harness.run('pnpm_client', { args: ['add', '-g', 'left-pad'] }));
    expect(error).toMatchObject({ code: 'command_denied', field: 'args' });
    expect(error.message).toMatch(/globally/);
  });

  it('freezes the lockfile under CI, as the preview shows', async () => {
    mkdirSync(join(workspace, 'frontend'), { recursive: true });
    process.env.CI = 'true';
    const envelope = await harness.preview('pnpm_client', { args: ['install'] });
    expect(envelope.status === 'ok' && envelope.preview?.summary).toContain(
      '`pnpm install --frozen-lockfile` in frontend',
    );
    const error = expectError(
      await harness.run('pnpm_client', { args: ['install', '--no-frozen-lockfile'] }),
    );
    expect(error.code).toBe('command_denied');
  });
});
