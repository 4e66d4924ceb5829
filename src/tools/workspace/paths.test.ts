import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveInWorkspace } from './paths.js';

describe('resolveInWorkspace', () => {
  const root = mkdtempSync(join(tmpdir(), 'ws-paths-'));
  const outside = mkdtempSync(join(tmpdir(), 'ws-outside-'));
  mkdirSync(join(root, 'app'));
  writeFileSync(join(root, 'app', 'main.py'), 'print(1)');
  symlinkSync(outside, join(root, 'escape'));

  it('resolves relative paths inside the workspace, existing or not', () => {
    expect(resolveInWorkspace(root, 'app/main.py')).toMatch(/app\/main\.py$/);
    expect(resolveInWorkspace(root, 'app/new/file.txt')).toMatch(/app\/new\/file\.txt$/);
  });

  it('refuses parent traversal, absolute paths outside and symlinks that leave', () => {
    expect(() => resolveInWorkspace(root, '../etc/passwd')).toThrow(/outside the workspace/);
    expect(() => resolveInWorkspace(root, '/etc/passwd')).toThrow(/outside the workspace/);
    expect(() => resolveInWorkspace(root, 'escape/secret.txt', 'file_path')).toThrow(
      /file_path: 'escape\/secret.txt'/,
    );
  });
});
