import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CappedOutput } from './capped-output.js';
import { childEnvironment, findOnPath, refusedEnvReason } from './child-env.js';
import { formatCommand, runProcess } from './run-process.js';

describe('CappedOutput', () => {
  it('keeps everything under the limit', () => {
    const output = new CappedOutput(1024);
    output.push(Buffer.from('hello '));
    output.push(Buffer.from('world'));
    expect(output.truncated).toBe(false);
    expect(output.text()).toBe('hello world');
  });

  it('keeps the first and last bytes over the limit, within the limit', () => {
    const output = new CappedOutput(1024);
    output.push(Buffer.from(`BEGIN${'-'.repeat(2000)}`));
    for (let index = 0; index < 100; index++) output.push(Buffer.from('.'.repeat(50)));
    output.push(Buffer.from('END'));
    const text = output.text();
    expect(output.truncated).toBe(true);
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(1024);
    expect(text.startsWith('BEGIN')).toBe(true);
    expect(text.endsWith('.END')).toBe(true);
    expect(text).toContain('output truncated: 7008 bytes');
  });
});

describe('childEnvironment', () => {
  it('drops credentials and keeps the rest', () => {
    const env = childEnvironment(
      {
        PATH: '/usr/bin',
        HOME: '/home/me',
        GIT_AUTHOR_NAME: 'Me',
        AWS_ACCESS_KEY_ID: 'x',
        AWS_SECRET_ACCESS_KEY: 'x',
        AWS_SESSION_TOKEN: 'x',
        AWS_PROFILE: 'x',
        GITHUB_TOKEN: 'x',
        GH_TOKEN: 'x',
        NPM_TOKEN: 'x',
        OPENAI_API_KEY: 'x',
        DATABASE_PASSWORD: 'x',
        npm_config__authToken: 'x',
        SSH_AUTH_SOCK: '/tmp/agent',
        VIRTUAL_ENV: '/venv',
      },
      { EXTRA: 'yes' },
      ['VIRTUAL_ENV'],
    );
    expect(env).toEqual({ PATH: '/usr/bin', HOME: '/home/me', GIT_AUTHOR_NAME: 'Me', EXTRA: 'yes' });
  });

  it('refuses variables that hijack the executable or carry credentials', () => {
    expect(refusedEnvReason('PATH')).toMatch(/which executable/);
    expect(refusedEnvReason('LD_PRELOAD')).toMatch(/which executable/);
    expect(refusedEnvReason('GITHUB_TOKEN')).toMatch(/credential/);
    expect(refusedEnvReason('NODE_ENV')).toBeUndefined();
    expect(refusedEnvReason('TOKENIZERS_PARALLELISM')).toBeUndefined();
  });
});

describe('findOnPath', () => {
  it('finds executables in absolute PATH entries only', () => {
    const directory = mkdtempSync(join(tmpdir(), 'find-on-path-'));
    const program = join(directory, 'fake-tool');
    writeFileSync(program, '#!/bin/sh\n');
    chmodSync(program, 0o755);
    expect(findOnPath('fake-tool', ['', '.', directory].join(delimiter))).toBe(program);
    expect(findOnPath('fake-tool', '.')).toBeUndefined();
    expect(findOnPath('no-such-tool-anywhere', process.env.PATH)).toBeUndefined();
  });
});

describe('runProcess', () => {
  it('reports a start failure as command_failed', async () => {
    await expect(
      runProcess({
        executable: '/nonexistent/program',
        args: [],
        cwd: tmpdir(),
        env: {},
        timeoutMs: 5000,
        outputLimit: 1024,
        label: 'program',
      }),
    ).rejects.toMatchObject({ code: 'command_failed' });
  });

  it('maps death by signal to 128 + the signal number', async () => {
    const outcome = await runProcess({
      executable: process.execPath,
      args: ['-e', 'process.kill(process.pid, "SIGTERM"); setInterval(() => {}, 1000)'],
      cwd: tmpdir(),
      env: {},
      timeoutMs: 30_000,
      outputLimit: 1024,
      label: 'node',
    });
    expect(outcome.exitCode).toBe(143);
  });
});

describe('formatCommand', () => {
  it('quotes arguments a person would have to quote', () => {
    expect(formatCommand(['node', '-e', 'console.log(1)'])).toBe('node -e "console.log(1)"');
    expect(formatCommand(['pnpm', 'run', 'build'])).toBe('pnpm run build');
  });
});
