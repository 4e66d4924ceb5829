/**
 * Which files of a source tree go into a deployment package: what git tracks (or, in a plain
 * folder, what its .gitignore files allow), never `.git/`, never secret files, never symlinks
 * that leave the tree.
 */
import { lstat, readdir, readFile, realpath, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, sep } from 'node:path';
import ignore from 'ignore';
import { isSecretFile } from '../workspace/secret-files.js';
import { runCommand } from './process.js';

export interface SelectedFile {
  /** Path inside the tree, with forward slashes: the name the file gets in the package. */
  path: string;
  /** Absolute path of the content on disk (a symlink's target when the link stays inside the tree). */
  absolute: string;
  executable: boolean;
}

export interface SelectOptions {
  /**
   * 'git': the files git tracks under `root` (`git ls-files`); 'gitignore': a walk honouring
   * .gitignore files; 'all': every file (build output and installed dependencies).
   */
  mode: 'git' | 'gitignore' | 'all';
  /** Leave out files that usually hold credentials (default true). */
  excludeSecrets?: boolean;
  signal: AbortSignal;
}

function isInside(root: string, candidate: string): boolean {
  const rel = relative(root, candidate);
  return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel);
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** A symlink's target when it is a regular file inside the tree; undefined otherwise. */
async function linkTarget(rootReal: string, absolute: string): Promise<string | undefined> {
  try {
    const target = await realpath(absolute);
    if (!isInside(rootReal, target)) return undefined;
    return (await stat(target)).isFile() ? target : undefined;
  } catch {
    return undefined;
  }
}

function keep(path: string, excludeSecrets: boolean): boolean {
  if (path.split('/').includes('.git')) return false;
  return !(excludeSecrets && isSecretFile(baseName(path)));
}

/** `git ls-files --stage`: tracked paths with git's own modes, so the executable bit does not depend on the disk. */
async function gitFiles(root: string, rootReal: string, options: SelectOptions): Promise<SelectedFile[]> {
  const { stdout } = await runCommand('git', ['-C', root, 'ls-files', '-z', '--stage', '--cached'], {
    what: 'git ls-files',
    signal: options.signal,
  });
  const files: SelectedFile[] = [];
  for (const record of stdout.toString('utf8').split('\0')) {
    const tab = record.indexOf('\t');
    if (tab < 0) continue;
    const mode = record.slice(0, record.indexOf(' '));
    const path = record.slice(tab + 1);
    if (!keep(path, options.excludeSecrets ?? true)) continue;
    const absolute = join(rootReal, ...path.split('/'));
    if (mode === '120000') {
      const target = await linkTarget(rootReal, absolute);
      if (target) files.push({ path, absolute: target, executable: false });
    } else if (mode === '100644' || mode === '100755') {
      // A tracked file deleted from the work tree is not part of what gets deployed.
      const info = await lstat(absolute).catch(() => undefined);
      if (info?.isFile()) files.push({ path, absolute, executable: mode === '100755' });
    }
    // 160000 (submodule) and anything else: not file content of this tree.
  }
  return files;
}

interface IgnoreLevel {
  /** Folder (relative to the root, '' for the root) whose .gitignore this is. */
  base: string;
  rules: ignore.Ignore;
}

/** The deepest .gitignore with an opinion decides, as in git. */
function isIgnored(path: string, directory: boolean, levels: IgnoreLevel[]): boolean {
  for (let index = levels.length - 1; index >= 0; index -= 1) {
    const level = levels[index] as IgnoreLevel;
    const inner = level.base ? path.slice(level.base.length + 1) : path;
    const verdict = level.rules.test(directory ? `${inner}/` : inner);
    if (verdict.ignored) return true;
    if (verdict.unignored) return false;
  }
  return false;
}

async function walkFiles(rootReal: string, options: SelectOptions): Promise<SelectedFile[]> {
  const files: SelectedFile[] = [];
  const excludeSecrets = options.excludeSecrets ?? true;
  const visit = async (folder: string, inherited: IgnoreLevel[]): Promise<void> => {
    options.signal.throwIfAborted();
    const absoluteFolder = folder ? join(rootReal, ...folder.split('/')) : rootReal;
    let levels = inherited;
    if (options.mode === 'gitignore') {
      const text = await readFile(join(absoluteFolder, '.gitignore'), 'utf8').catch(() => undefined);
      if (text !== undefined)
        levels = [...inherited, { base: folder, rules: ignore({ ignorecase: false }).add(text) }];
    }
    const entries = await readdir(absoluteFolder, { withFileTypes: true });
    for (const entry of entries) {
      const path = folder ? `${folder}/${entry.name}` : entry.name;
      if (entry.name === '.git') continue;
      const absolute = join(absoluteFolder, entry.name);
      if (entry.isDirectory()) {
        if (!isIgnored(path, true, levels)) await visit(path, levels);
        continue;
      }
      if (isIgnored(path, false, levels) || !keep(path, excludeSecrets)) continue;
      if (entry.isFile()) {
        const info = await stat(absolute);
        files.push({ path, absolute, executable: (info.mode & 0o111) !== 0 });
      } else if (entry.isSymbolicLink()) {
        // Links to folders are skipped too: following them could loop or duplicate the tree.
        const target = await linkTarget(rootReal, absolute);
        if (target) files.push({ path, absolute: target, executable: false });
      }
    }
  };
  await visit('', []);
  return files;
}

/** The files of the tree at `root`, sorted by path. */
export async function selectFiles(root: string, options: SelectOptions): Promise<SelectedFile[]> {
  const rootReal = await realpath(root);
  const files =
    options.mode === 'git' ? await gitFiles(root, rootReal, options) : await walkFiles(rootReal, options);
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
