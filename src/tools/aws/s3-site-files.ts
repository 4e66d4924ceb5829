/** The files of a static site folder, with the Content-Type and Cache-Control each one is served with. */
import { readdir, stat } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { resolveInWorkspace } from '../workspace/paths.js';
import { isSecretFile } from '../workspace/secret-files.js';
import { contentTypeFor } from './s3-content-types.js';

export interface SiteFile {
  /** Object key: the path relative to the site folder, with forward slashes. */
  key: string;
  /** Real path on disk, inside the workspace. */
  path: string;
  size: number;
  contentType: string;
  cacheControl: string | undefined;
}

export const NO_CACHE = 'no-cache';
export const IMMUTABLE = 'public, max-age=31536000, immutable';

/** A content hash in a build tool's file name (Vite `index-BK8eGxfe.js`, webpack `app.3f2a9c1d.js`). */
function hasContentHash(name: string): boolean {
  const match = /[.-]([A-Za-z0-9_]{8,})\.[A-Za-z0-9]+$/.exec(name);
  return Boolean(match?.[1] && /[0-9A-Z]/.test(match[1]));
}

/**
 * Pages must be revalidated so a new deploy shows at once; hashed assets never change under their
 * name, so browsers may keep them for a year; everything else gets the caller's choice.
 */
export function cacheControlFor(key: string, fallback: string | undefined): string | undefined {
  if (key.endsWith('.html') || key.endsWith('.htm')) return NO_CACHE;
  if (key.startsWith('assets/') && hasContentHash(posix.basename(key))) return IMMUTABLE;
  return fallback;
}

/**
 * Every file under `root` (a real path in the workspace). Hidden entries such as `.env` or `.git`
 * are never published, except `.well-known`, nor are files that hold credentials (`*.pem`, `*.key`,
 * `credentials.json`...): the bucket is public. Symlinks are followed only while they stay inside.
 */
export async function collectSiteFiles(
  workspace: string,
  root: string,
  cacheControl: string | undefined,
): Promise<SiteFile[]> {
  const files: SiteFile[] = [];
  // A symlink back to an ancestor folder would otherwise make the walk endless.
  const visited = new Set<string>();
  async function walk(folder: string, prefix: string): Promise<void> {
    if (visited.has(folder)) return;
    visited.add(folder);
    const entries = await readdir(folder, { withFileTypes: true });
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      if (entry.name.startsWith('.') && entry.name !== '.well-known') continue;
      const key = prefix ? `${prefix}/${entry.name}` : entry.name;
      const path = resolveInWorkspace(workspace, join(folder, entry.name), 'source_dir');
      const info = await stat(path);
      if (info.isDirectory()) await walk(path, key);
      else if (info.isFile() && !isSecretFile(entry.name) && !isSecretFile(path))
        files.push({
          key,
          path,
          size: info.size,
          contentType: contentTypeFor(key),
          cacheControl: cacheControlFor(key, cacheControl),
        });
    }
  }
  await walk(root, '');
  return files;
}

/** Regions whose website endpoint is `s3-website-<region>`; the newer ones use `s3-website.<region>`. */
const DASH_WEBSITE_REGIONS = new Set([
  'us-east-1',
  'us-west-1',
  'us-west-2',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-northeast-1',
  'eu-west-1',
  'sa-east-1',
  'us-gov-west-1',
]);

/** The address the site answers on: the S3 website endpoint, or the object URL on a custom endpoint. */
export function websiteUrl(
  bucket: string,
  region: string,
  endpointUrl: string | undefined,
  index: string,
): string {
  if (endpointUrl) return `${endpointUrl.replace(/\/+$/, '')}/${bucket}/${index}`;
  const separator = DASH_WEBSITE_REGIONS.has(region) ? '-' : '.';
  const domain = region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
  return `http://${bucket}.s3-website${separator}${region}.${domain}`;
}
