/** Directories inside the workspace: confined, checked to exist, and shown relative to the workspace. */
import { realpathSync, statSync } from 'node:fs';
import { relative } from 'node:path';
import type { ToolContext } from '../define-tool.js';
import { fieldError } from '../field-error.js';
import { resolveInWorkspace } from './paths.js';

/** Resolves `path` inside the workspace (symlinks included) and demands an existing directory there. */
export function workspaceDirectory(context: ToolContext, path: string, field: string): string {
  const absolute = resolveInWorkspace(context.workspace, path, field);
  const stats = statSync(absolute, { throwIfNoEntry: false });
  if (!stats) throw fieldError('not_found', field, `${field}: '${path}' does not exist in the workspace`);
  if (!stats.isDirectory())
    throw fieldError('invalid_input', field, `${field}: '${path}' is not a directory`);
  return absolute;
}

/** An absolute path inside the workspace as a relative, slash-separated path; `.` for the workspace itself. */
export function workspaceRelative(context: ToolContext, absolute: string): string {
  return relative(realpathSync(context.workspace), absolute).split('\\').join('/') || '.';
}
