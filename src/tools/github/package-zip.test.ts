import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isSecretFile } from '../workspace/secret-files.js';
import { selectFiles } from './file-selection.js';
import { packageDirectory } from './package-zip.js';

const signal = new AbortController().signal;

function makeTree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'pkg-tree-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

const APP = {
  'app/main.py': 'print("hello")\n',
  'app/__init__.py': '',
  'requirements.txt': 'fastapi\n',
  'run.sh': '#!/bin/sh\necho run\n',
};

function outZip(): string {
  return join(mkdtempSync(join(tmpdir(), 'pkg-out-')), 'package.zip');
}

/** Names and Unix modes of the entries, read back by Python's zipfile (an independent reader). */
function zipListing(zipPath: string): Array<[string, number]> {
  const script =
    'import json,sys,zipfile\n' +
    'z=zipfile.ZipFile(sys.argv[1])\n' +
    'print(json.dumps([[i.filename, i.external_attr >> 16, list(i.date_time)] for i in z.infolist()]))';
  const rows = JSON.parse(execFileSync('python3', ['-c', script, zipPath]).toString()) as Array<
    [string, number, number[]]
  >;
  for (const [, , time] of rows) expect(time).toEqual([1980, 1, 1, 0, 0, 0]);
  return rows.map(([name, mode]) => [name, mode]);
}

describe('deterministic packaging', () => {
  it('gives the same bytes for the same files, whenever and wherever they were written', async () => {
    const first = makeTree(APP);
    const second = makeTree(APP);
    utimesSync(join(second, 'app/main.py'), new Date(2001, 1, 1), new Date(2001, 1, 1));
    const a = await packageDirectory(first, outZip(), { mode: 'all', signal });
    const b = await packageDirectory(second, outZip(), { mode: 'all', signal });
    expect(readFileSync(a.zip_path).equals(readFileSync(b.zip_path))).toBe(true);
    expect(a.sha256_hex).toBe(b.sha256_hex);
    expect(Buffer.from(a.code_sha256_base64, 'base64').toString('hex')).toBe(a.sha256_hex);
    expect(a.files).toBe(4);
    expect(a.bytes).toBe(readFileSync(a.zip_path).length);
  });

  it('sorts entries and fixes modes: 0644 for files, 0755 for executables', async () => {
    const root = makeTree(APP);
    chmodSync(join(root, 'run.sh'), 0o755);
    chmodSync(join(root, 'requirements.txt'), 0o600);
    const result = await packageDirectory(root, outZip(), { mode: 'all', signal });
    expect(zipListing(result.zip_path)).toEqual([
      ['app/__init__.py', 0o100644],
      ['app/main.py', 0o100644],
      ['requirements.txt', 0o100644],
      ['run.sh', 0o100755],
    ]);
  });

  it('changes the hash when content changes, not when only the mtime does', async () => {
    const root = makeTree(APP);
    const before = await packageDirectory(root, outZip(), { mode: 'all', signal });
    utimesSync(join(root, 'app/main.py'), new Date(), new Date(Date.now() + 60_000));
    const touched = await packageDirectory(root, outZip(), { mode: 'all', signal });
    expect(touched.sha256_hex).toBe(before.sha256_hex);
    writeFileSync(join(root, 'app/main.py'), 'print("changed")\n');
    const changed = await packageDirectory(root, outZip(), { mode: 'all', signal });
    expect(changed.sha256_hex).not.toBe(before.sha256_hex);
  });

  it('streams files too large to hold in memory and stores what deflate cannot shrink', async () => {
    const root = makeTree(APP);
    writeFileSync(join(root, 'big.txt'), 'line of text\n'.repeat(800_000));
    writeFileSync(join(root, 'noise.bin'), randomBytes(50_000));
    const first = await packageDirectory(root, outZip(), { mode: 'all', signal });
    const second = await packageDirectory(root, outZip(), { mode: 'all', signal });
    expect(second.sha256_hex).toBe(first.sha256_hex);
    const script =
      'import json,sys,zipfile\n' +
      'z=zipfile.ZipFile(sys.argv[1])\n' +
      'assert z.testzip() is None\n' +
      'print(json.dumps({i.filename: [i.compress_type, i.file_size] for i in z.infolist()}))';
    const entries = JSON.parse(execFileSync('python3', ['-c', script, first.zip_path]).toString());
    expect(entries['big.txt']).toEqual([8, 13 * 800_000]);
    expect(entries['noise.bin']).toEqual([0, 50_000]);
    expect(entries['app/main.py']).toEqual([0, APP['app/main.py'].length]);
  });

  it('honours .gitignore files, nested ones and negations included', async () => {
    const root = makeTree({
      ...APP,
      '.gitignore': 'node_modules/\n*.log\ndist/\n',
      'node_modules/x/index.js': 'x',
      'debug.log': 'log',
      'app/.gitignore': 'generated/\n!keep.log\n',
      'app/generated/out.py': 'x',
      'app/keep.log': 'kept',
      'dist/index.html': '<html>',
    });
    const paths = (await selectFiles(root, { mode: 'gitignore', signal })).map((file) => file.path);
    expect(paths).toEqual([
      '.gitignore',
      'app/.gitignore',
      'app/__init__.py',
      'app/keep.log',
      'app/main.py',
      'requirements.txt',
      'run.sh',
    ]);
  });

  it('never packages .git or secret files, but keeps .env.example', async () => {
    const root = makeTree({
      ...APP,
      '.git/config': '[core]',
      'app/.git/HEAD': 'ref',
      '.env': 'SECRET=1',
      '.env.production': 'SECRET=2',
      '.env.example': 'SECRET=',
      'certs/server.pem': 'pem',
      'certs/server.key': 'key',
      'keys/id_rsa': 'rsa',
      'keys/id_ed25519.pub': 'pub',
      '.npmrc': '//registry:_authToken=x',
      '.pypirc': '[pypi]',
      'credentials-prod.json': '{}',
      'cert.p12': 'p12',
      'cert.pfx': 'pfx',
    });
    const paths = (await selectFiles(root, { mode: 'gitignore', signal })).map((file) => file.path);
    expect(paths).toEqual(['.env.example', 'app/__init__.py', 'app/main.py', 'requirements.txt', 'run.sh']);
    expect(isSecretFile('.env.example')).toBe(false);
    expect(isSecretFile('.env.local')).toBe(true);
  });

  it('keeps symlinks to files inside the tree and skips those pointing outside', async () => {
    const outside = makeTree({ 'secret.txt': 'outside' });
    const root = makeTree(APP);
    symlinkSync(join(outside, 'secret.txt'), join(root, 'leak.txt'));
    symlinkSync(outside, join(root, 'leak-dir'));
    symlinkSync('app/main.py', join(root, 'alias.py'));
    const files = await selectFiles(root, { mode: 'all', signal });
    expect(files.map((file) => file.path)).toEqual([
      'alias.py',
      'app/__init__.py',
      'app/main.py',
      'requirements.txt',
      'run.sh',
    ]);
    expect(readFileSync(files[0]?.absolute as string, 'utf8')).toBe(APP['app/main.py']);
  });

  it('in a git work tree packages what git tracks, with git’s executable bit', async () => {
    const root = makeTree({ ...APP, '.gitignore': 'ignored.txt\n', 'ignored.txt': 'no', '.env': 'S=1' });
    chmodSync(join(root, 'run.sh'), 0o755);
    const git = (...args: string[]) =>
      execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: root });
    git('init', '-q');
    git('add', '-A');
    git('add', '-f', '.env');
    git('commit', '-qm', 'init');
    writeFileSync(join(root, 'untracked.py'), 'x');
    const files = await selectFiles(root, { mode: 'git', signal });
    expect(files.map((file) => [file.path, file.executable])).toEqual([
      ['.gitignore', false],
      ['app/__init__.py', false],
      ['app/main.py', false],
      ['requirements.txt', false],
      ['run.sh', true],
    ]);
    const sub = await selectFiles(join(root, 'app'), { mode: 'git', signal });
    expect(sub.map((file) => file.path)).toEqual(['__init__.py', 'main.py']);
  });
});
