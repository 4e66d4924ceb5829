/**
 * Packages a preview built, kept for the run that follows it. Packages are deterministic, so the
 * same commit of the same folder gives the same bytes: the approved run uploads the package the
 * dry run already built instead of building it a second time (half a second of zipping for the
 * sample app). Only git commits qualify (a plain folder can change without a new commit), and a
 * package file that changed or went away since is simply built again.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { ToolContext } from '../define-tool.js';
import { resolveInWorkspace } from '../workspace/paths.js';
import type { PackageResult } from './package-zip.js';

export interface BuiltPackage<P extends PackageResult> {
  pkg: P;
  /** The settled package, relative to the workspace. */
  zipFile: string;
}

/** Enough for every deployment a process previews and then runs; the oldest go first. */
const MAX_KEPT = 32;
const kept = new Map<string, BuiltPackage<PackageResult>>();

/** What makes two builds identical; undefined when the source is not a commit. */
export function packageKey(
  context: ToolContext,
  commit: string | null,
  parts: Array<string | undefined>,
): string | undefined {
  if (!commit) return undefined;
  return JSON.stringify([context.workspace, commit, ...parts]);
}

async function fileSha256Hex(path: string, signal: AbortSignal): Promise<string | undefined> {
  try {
    const hash = createHash('sha256');
    for await (const chunk of createReadStream(path, { signal })) hash.update(chunk as Buffer);
    return hash.digest('hex');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** The package built earlier under `key`, when its file still holds exactly those bytes. */
export async function builtPackage<P extends PackageResult>(
  key: string | undefined,
  context: ToolContext,
): Promise<BuiltPackage<P> | undefined> {
  const found = key === undefined ? undefined : kept.get(key);
  if (!key || !found) return undefined;
  const path = resolveInWorkspace(context.workspace, found.zipFile, 'zip_file');
  if ((await fileSha256Hex(path, context.signal)) === found.pkg.sha256_hex) return found as BuiltPackage<P>;
  kept.delete(key);
  return undefined;
}

export function keepPackage<P extends PackageResult>(key: string | undefined, built: BuiltPackage<P>): void {
  if (!key) return;
  kept.delete(key);
  kept.set(key, built);
  for (const oldest of kept.keys()) {
    if (kept.size <= MAX_KEPT) break;
    kept.delete(oldest);
  }
}
