import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, expectOk } from '../../../test/helpers/envelopes.js';
import { createToolHarness, type ToolHarness } from '../../../test/helpers/tool-harness.js';
import type { DirectoryEntry } from './repo-listing.js';
import type { ListDirResult, ReadFileResult } from './repo-reader.js';

const paths = (entries: DirectoryEntry[]) => entries.map((entry) => entry.path);

describe('repo_reader', () => {
  let harness: ToolHarness;
  let workspace: string;
  const outside = mkdtempSync(join(tmpdir(), 'repo-reader-outside-'));

  beforeAll(() => {
    harness = createToolHarness({ endpointUrl: 'http://127.0.0.1:9' });
    workspace = harness.settings.workspace;
    const write = (path: string, content: string | Buffer) => {
      mkdirSync(join(workspace, path, '..'), { recursive: true });
      writeFileSync(join(workspace, path), content);
    };
    write('README.md', '# Shop\n\nA sample app.\n');
    write('backend/app/main.py', 'print("hello")\n');
    write('backend/pyproject.toml', '[project]\nname = "x"\n');
    write('.env', 'DATABASE_PASSWORD=hunter2hunter2\n');
    write('.env.production', 'API_KEY=abc\n');
    write('.env.example', 'API_TOKEN=replace-me-please\nPORT=8000\n');
    write('certs/server.pem', '-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----\n');
    write('frontend/.npmrc', '//registry.npmjs.org/:_authToken=npm_secret\n');
    write('frontend/node_modules/vite/index.js', 'module.exports = {};\n');
    write('.git/config', '[core]\n');
    write('.venv/pyvenv.cfg', 'home = /usr/bin\n');
    write('logo.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00, 0x0d, 0x0a]));
    write('unicode.txt', 'é'.repeat(10));
    writeFileSync(join(outside, 'secret.txt'), 'outside the workspace');
    symlinkSync(outside, join(workspace, 'escape'));
    symlinkSync(join(outside, 'secret.txt'), join(workspace, 'escape-file.txt'));
    symlinkSync(join(workspace, '.env'), join(workspace, 'innocent.txt'));
    symlinkSync(join(workspace, 'backend'), join(workspace, 'backend-link'));
  });
  afterAll(() => harness.close());

  it('reads a text file inside the workspace', async () => {
    const result = expectOk<ReadFileResult>(
      await harness.run('repo_reader', { operation: 'read_file', path: 'README.md' }),
    );
    expect(result).toEqual({
      path: 'README.md',
      content: '# Shop\n\nA sample app.\n',
      truncated: false,
      size: 22,
      redacted: false,
    });
    const nested = expectOk<ReadFileResult>(
      await harness.run('repo_reader', {
        operation: 'read_file',
        path: join(workspace, 'backend/app/main.py'),
      }),
    );
    expect(nested.path).toBe('backend/app/main.py');
  });

  it('follows a symlink that stays inside and reports the real path', async () => {
    const result = expectOk<ReadFileResult>(
      await harness.run('repo_reader', { operation: 'read_file', path: 'backend-link/app/main.py' }),
    );
    expect(result.path).toBe('backend/app/main.py');
    expect(result.content).toBe('print("hello")\n');
  });

  it('truncates at max_bytes without splitting a character', async () => {
    const result = expectOk<ReadFileResult>(
      await harness.run('repo_reader', { operation: 'read_file', path: 'unicode.txt', max_bytes: 5 }),
    );
    expect(result).toMatchObject({ truncated: true, size: 20, content: 'éé' });
  });

  it('refuses ../, absolute paths outside and symlinks that leave, as workspace_violation', async () => {
    for (const path of ['../etc/passwd', '/etc/passwd', 'escape/secret.txt', 'escape-file.txt']) {
      const error = expectError(await harness.run('repo_reader', { operation: 'read_file', path }));
      expect(error.code, path).toBe('workspace_violation');
      expect(error.field).toBe('path');
      expect(error.message).toMatch(/outside the workspace/);
    }
  });

  it('never returns the content of secret files, even through a symlink', async () => {
    for (const path of ['.env', '.env.production', 'certs/server.pem', 'frontend/.npmrc', 'innocent.txt']) {
      const error = expectError(await harness.run('repo_reader', { operation: 'read_file', path }));
      expect(error.code, path).toBe('workspace_violation');
      expect(error.message).toMatch(/holds secrets/);
      expect(error.message).not.toMatch(/hunter2|npm_secret|abc/);
    }
  });

  it('reads .env templates with secret-looking values masked', async () => {
    const result = expectOk<ReadFileResult>(
      await harness.run('repo_reader', { operation: 'read_file', path: '.env.example' }),
    );
    expect(result.redacted).toBe(true);
    expect(result.content).toContain('PORT=8000');
    expect(result.content).not.toContain('replace-me-please');
  });

  it('refuses binary files, folders and missing files with clear codes', async () => {
    const binary = expectError(
      await harness.run('repo_reader', { operation: 'read_file', path: 'logo.png' }),
    );
    expect(binary).toMatchObject({ code: 'invalid_input', field: 'path' });
    expect(binary.message).toMatch(/binary file/);
    const folder = expectError(await harness.run('repo_reader', { operation: 'read_file', path: 'backend' }));
    expect(folder.message).toMatch(/list_dir/);
    const missing = expectError(
      await harness.run('repo_reader', { operation: 'read_file', path: 'nope.txt' }),
    );
    expect(missing.code).toBe('not_found');
  });

  it('lists one level, skipping .git, node_modules and .venv, flagging secrets and symlinks', async () => {
    const result = expectOk<ListDirResult>(
      await harness.run('repo_reader', { operation: 'list_dir', depth: 1 }),
    );
    expect(result.path).toBe('.');
    expect(result.truncated).toBe(false);
    expect(paths(result.entries)).toEqual([...paths(result.entries)].sort());
    expect(paths(result.entries)).not.toContain('.git');
    expect(paths(result.entries)).not.toContain('.venv');
    expect(paths(result.entries)).not.toContain('backend/app');
    const byPath = new Map(result.entries.map((entry) => [entry.path, entry]));
    expect(byPath.get('README.md')).toEqual({ path: 'README.md', type: 'file', size: 22 });
    expect(byPath.get('backend')).toEqual({ path: 'backend', type: 'dir', size: 0 });
    expect(byPath.get('.env')).toMatchObject({ type: 'file', secret: true });
    expect(byPath.get('escape')?.type).toBe('symlink');
  });

  it('descends to the requested depth and never through a symlink', async () => {
    const two = expectOk<ListDirResult>(
      await harness.run('repo_reader', { operation: 'list_dir', path: '.' }),
    );
    expect(paths(two.entries)).toContain('backend/app');
    expect(paths(two.entries)).toContain('frontend/.npmrc');
    expect(paths(two.entries)).not.toContain('backend/app/main.py');
    expect(paths(two.entries).some((path) => path.startsWith('frontend/node_modules'))).toBe(false);
    expect(paths(two.entries).some((path) => /^(escape|backend-link)\//.test(path))).toBe(false);
    const three = expectOk<ListDirResult>(
      await harness.run('repo_reader', { operation: 'list_dir', path: 'backend', depth: 3 }),
    );
    expect(paths(three.entries)).toEqual(['backend/app', 'backend/app/main.py', 'backend/pyproject.toml']);
  });

  it('refuses to list outside the workspace and checks depth', async () => {
    const leaving = expectError(await harness.run('repo_reader', { operation: 'list_dir', path: 'escape' }));
    expect(leaving.code).toBe('workspace_violation');
    const deep = expectError(await harness.run('repo_reader', { operation: 'list_dir', depth: 7 }));
    expect(deep).toMatchObject({ code: 'invalid_input', field: 'depth' });
    expect(deep.message).toMatch(/1 to 6/);
    const unknown = expectError(await harness.run('repo_reader', { operation: 'delete', path: 'x' }));
    expect(unknown).toMatchObject({ code: 'invalid_input', field: 'operation' });
  });

  it('caps a listing at 5,000 entries', async () => {
    const many = join(workspace, 'many');
    mkdirSync(many);
    for (let index = 0; index < 5010; index++) writeFileSync(join(many, `f${index}.txt`), '');
    const result = expectOk<ListDirResult>(
      await harness.run('repo_reader', { operation: 'list_dir', path: 'many' }),
    );
    expect(result.truncated).toBe(true);
    expect(result.entries).toHaveLength(5000);
  });

  it('previews without reading', async () => {
    const envelope = await harness.preview('repo_reader', { operation: 'read_file', path: 'README.md' });
    expect(envelope.status === 'ok' && envelope.preview?.method).toBe('read-only');
  });
});
