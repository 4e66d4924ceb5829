/** repo_reader's list_dir: a breadth-first walk that never follows a symlink and skips dependency folders. */
import { type Dirent, lstatSync, readdirSync, realpathSync } from 'node:fs';
import { join, relative } from 'node:path';
import { isSecretFile } from './secret-files.js';

/** Entries returned at most; shallow levels come first, so a truncated listing still shows the top. */
export const LIST_LIMIT = 5000;

/** Folders that are large, generated, or private to tools: never walked, never listed. */
const SKIPPED_NAMES = new Set(['.git', 'node_modules', '.venv']);

export interface DirectoryEntry {
  /** Relative to the workspace root, `/`-separated. */
  path: string;
  type: 'file' | 'dir' | 'symlink';
  /** Bytes for files, the link's own size for symlinks, 0 for folders. */
  size: number;
  /** Present on files that hold credentials: listed, but read_file refuses them. */
  secret?: true;
}

export interface DirectoryListing {
  entries: DirectoryEntry[];
  truncated: boolean;
}

function entryType(dirent: Dirent): DirectoryEntry['type'] {
  if (dirent.isSymbolicLink()) return 'symlink';
  return dirent.isDirectory() ? 'dir' : 'file';
}

function readEntries(directory: string): Dirent[] {
  try {
    return readdirSync(directory, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
  } catch {
    // An unreadable folder is left out rather than failing the whole listing.
    return [];
  }
}

function sizeOf(path: string, type: DirectoryEntry['type']): number {
  if (type === 'dir') return 0;
  try {
    return lstatSync(path).size;
  } catch {
    return 0;
  }
}

/**
 * Lists `start` (an absolute, already confined directory) `depth` levels deep. Symlinks are
 * reported as such and never entered, so the walk cannot leave the workspace.
 */
export function listDirectory(
  workspace: string,
  start: string,
  depth: number,
  limit = LIST_LIMIT,
): DirectoryListing {
  const root = realpathSync(workspace);
  const entries: DirectoryEntry[] = [];
  let level = [start];
  let truncated = false;
  walk: for (let current = 1; current <= depth && level.length > 0; current++) {
    const next: string[] = [];
    for (const directory of level) {
      for (const dirent of readEntries(directory)) {
        if (SKIPPED_NAMES.has(dirent.name)) continue;
        if (entries.length >= limit) {
          truncated = true;
          break walk;
        }
        const full = join(directory, dirent.name);
        const type = entryType(dirent);
        entries.push({
          path: relative(root, full).split('\\').join('/'),
          type,
          size: sizeOf(full, type),
          ...(type !== 'dir' && isSecretFile(dirent.name) ? { secret: true as const } : {}),
        });
        if (type === 'dir') next.push(full);
      }
    }
    level = next;
  }
  entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { entries, truncated };
}
