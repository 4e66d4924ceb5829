import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkoutRepository, gitEnvironment, repoProblem } from './checkout.js';

const signal = new AbortController().signal;

function git(dir: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: dir })
    .toString()
    .trim();
}

/** A workspace holding `repo/`, a git repository with two commits on main and one on `feature`. */
function workspaceWithRepo() {
  const workspace = realpathSync(mkdtempSync(join(tmpdir(), 'checkout-ws-')));
  const repo = join(workspace, 'repo');
  mkdirSync(repo);
  git(repo, 'init', '-q', '-b', 'main');
  writeFileSync(join(repo, 'app.py'), 'v1\n');
  git(repo, 'add', '-A');
  git(repo, 'commit', '-qm', 'one');
  const first = git(repo, 'rev-parse', 'HEAD');
  writeFileSync(join(repo, 'app.py'), 'v2\n');
  git(repo, 'commit', '-qam', 'two');
  git(repo, 'checkout', '-qb', 'feature');
  writeFileSync(join(repo, 'app.py'), 'feature\n');
  git(repo, 'commit', '-qam', 'three');
  git(repo, 'checkout', '-q', 'main');
  return { workspace, first, main: git(repo, 'rev-parse', 'main') };
}

const workDir = () => mkdtempSync(join(tmpdir(), 'checkout-work-'));

describe('repository addresses', () => {
  it('accepts https URLs of any host and workspace folders', () => {
    for (const ok of [
      'https://github.com/acme/shop',
      'https://git.example.com/a/b.git',
      'examples/shop',
      './app',
    ])
      expect(repoProblem(ok)).toBeUndefined();
  });

  it('refuses other transports, embedded credentials, option-like and SSH forms, with a reason', () => {
    expect(repoProblem('ftp://x')).toMatch(/only https/);
    expect(repoProblem('http://github.com/a/b')).toMatch(/only https/);
    expect(repoProblem('file:///etc')).toMatch(/only https/);
    expect(repoProblem('https://user:pass@host/x')).toMatch(/credentials/);
    expect(repoProblem('https://token@host/x')).toMatch(/credentials/);
    expect(repoProblem('ext::sh -c touch% /tmp/x')).toMatch(/ext::/);
    expect(repoProblem('file::/tmp/x')).toMatch(/file::/);
    expect(repoProblem('git@github.com:acme/shop.git')).toMatch(/SSH/);
    expect(repoProblem('--upload-pack=touch /tmp/x')).toMatch(/must not start with '-'/);
  });
});

describe('git environment', () => {
  it('sends the token as a Basic header scoped to the origin, and never prompts', () => {
    const previous = process.env.GIT_DIR;
    process.env.GIT_DIR = '/tmp/elsewhere';
    try {
      const env = gitEnvironment(new URL('https://github.com/acme/shop.git'), 'tok123');
      expect(env).toMatchObject({
        GIT_TERMINAL_PROMPT: '0',
        GIT_CONFIG_COUNT: '1',
        GIT_CONFIG_KEY_0: 'http.https://github.com/.extraHeader',
        GIT_CONFIG_VALUE_0: `Authorization: Basic ${Buffer.from('x-access-token:tok123').toString('base64')}`,
      });
      expect(env.GIT_DIR).toBeUndefined();
      expect(gitEnvironment(new URL('https://github.com/a/b'), undefined).GIT_CONFIG_COUNT).toBeUndefined();
    } finally {
      if (previous === undefined) delete process.env.GIT_DIR;
      else process.env.GIT_DIR = previous;
    }
  });
});

describe('checkoutRepository', () => {
  it('clones a local git repository: default branch tip, a named branch, or an exact commit', async () => {
    const { workspace, first, main } = workspaceWithRepo();
    const tip = await checkoutRepository({ repo: 'repo', workDir: workDir(), workspace, signal });
    expect(tip).toMatchObject({ commit_sha: main, branch: 'main', git: true });
    expect(readFileSync(join(tip.dir, 'app.py'), 'utf8')).toBe('v2\n');
    expect(git(tip.dir, 'rev-list', '--count', 'HEAD')).toBe('1');

    const feature = await checkoutRepository({
      repo: 'repo',
      branch: 'feature',
      workDir: workDir(),
      workspace,
      signal,
    });
    expect(feature.branch).toBe('feature');
    expect(readFileSync(join(feature.dir, 'app.py'), 'utf8')).toBe('feature\n');

    const old = await checkoutRepository({
      repo: 'repo',
      commit: first,
      workDir: workDir(),
      workspace,
      signal,
    });
    expect(old).toMatchObject({ commit_sha: first, branch: null });
    expect(readFileSync(join(old.dir, 'app.py'), 'utf8')).toBe('v1\n');
  });

  it('uses a plain folder where it is, and refuses a branch for it', async () => {
    const workspace = realpathSync(mkdtempSync(join(tmpdir(), 'checkout-ws-')));
    mkdirSync(join(workspace, 'site'));
    const plain = await checkoutRepository({ repo: 'site', workDir: workDir(), workspace, signal });
    expect(plain).toEqual({ dir: join(workspace, 'site'), commit_sha: null, branch: null, git: false });
    await expect(
      checkoutRepository({ repo: 'site', branch: 'main', workDir: workDir(), workspace, signal }),
    ).rejects.toMatchObject({ code: 'invalid_input', field: 'branch' });
    await expect(
      checkoutRepository({ repo: 'nope', workDir: workDir(), workspace, signal }),
    ).rejects.toMatchObject({
      code: 'invalid_input',
      field: 'repo',
    });
  });

  it('reports a failing clone without the token', async () => {
    const workspace = realpathSync(mkdtempSync(join(tmpdir(), 'checkout-ws-')));
    const token = 'tok-abcdef-0123456789';
    const failure = await checkoutRepository({
      repo: 'https://127.0.0.1:9/acme/shop.git',
      token,
      workDir: workDir(),
      workspace,
      signal,
    }).catch((error: Error) => error);
    expect(failure).toMatchObject({ code: 'command_failed' });
    expect((failure as Error).message).toMatch(/git clone failed/);
    expect((failure as Error).message).not.toContain(token);
  });
});
