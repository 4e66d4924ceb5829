/** Confines file access to the workspace: every path is resolved, symlinks included, before use. */
import { realpathSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { CopilotError } from '../../errors/copilot-error.js';
import { fieldError } from '../field-error.js';

function isInside(root: string, candidate: string): boolean {
  const rel = relative(root, candidate);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

/** Real path of the longest existing prefix of `path`, with the missing rest appended. */
function realpathOfExistingPrefix(path: string): string {
  const missing: string[] = [];
  let current = path;
  for (;;) {
    try {
      return resolve(realpathSync(current), ...missing.reverse());
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      const parent = dirname(current);
      if (parent === current) return path;
      missing.push(current.slice(parent.length).replace(/^[/\\]/, ''));
      current = parent;
    }
  }
}

/**
 * Resolves `path` (relative to the workspace, or absolute) and refuses anything whose real
 * location is outside the workspace, so `../x` and symlinks pointing out are both caught.
 */
export function resolveInWorkspace(workspace: string, path: string, field = 'path'): string {
  if (path.includes('\0')) throw new CopilotError('invalid_input', `${field}: contains a NUL byte`);
  const root = realpathSync(workspace);
  const candidate = resolve(root, path);
  const real = realpathOfExistingPrefix(candidate);
  if (!isInside(root, candidate) || !isInside(root, real)) {
    throw fieldError(
      'workspace_violation',
      field,
      `${field}: '${path}' resolves outside the workspace ${root}; only files inside it are allowed`,
    );
  }
  return real;
}
