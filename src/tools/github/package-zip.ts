/**
 * Deterministic zip packages: entries sorted by path, one fixed timestamp, fixed modes, deflate,
 * no extra timestamp fields; the same files give the same bytes (and the same Lambda CodeSha256).
 */
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import yazl from 'yazl';
import { type SelectedFile, type SelectOptions, selectFiles } from './file-selection.js';

/**
 * Every entry's time: 1980-01-01 00:00:00, the zip epoch. Built from local-time parts because zip
 * (DOS) timestamps are local times: yazl reads local parts back, so the bytes do not depend on TZ.
 */
export const ZIP_ENTRY_TIME = new Date(1980, 0, 1, 0, 0, 0);
const FILE_MODE = 0o100644;
const EXECUTABLE_MODE = 0o100755;
const COMPRESSION_LEVEL = 6;

export interface ZipEntry {
  /** Name inside the archive, forward slashes, no leading slash. */
  path: string;
  /** File on disk whose content goes in. */
  absolute: string;
  executable: boolean;
}

export interface PackageResult {
  zip_path: string;
  sha256_hex: string;
  /** Base64 of the SHA-256 digest: what Lambda reports as CodeSha256. */
  code_sha256_base64: string;
  files: number;
  bytes: number;
}

function comparePaths(a: ZipEntry, b: ZipEntry): number {
  // Code-unit order, not localeCompare: the order must not depend on the machine's locale.
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}

/** Writes `entries` to `zipPath` (atomically: a temp file renamed into place) and hashes the result. */
export async function writeDeterministicZip(entries: ZipEntry[], zipPath: string): Promise<PackageResult> {
  const sorted = [...entries].sort(comparePaths);
  for (let index = 1; index < sorted.length; index += 1) {
    if (sorted[index]?.path === sorted[index - 1]?.path)
      throw new Error(`package would contain ${sorted[index]?.path} twice`);
  }
  const zip = new yazl.ZipFile();
  for (const entry of sorted) {
    zip.addFile(entry.absolute, entry.path, {
      mtime: ZIP_ENTRY_TIME,
      mode: entry.executable ? EXECUTABLE_MODE : FILE_MODE,
      compress: true,
      compressionLevel: COMPRESSION_LEVEL,
      forceDosTimestamp: true,
    });
  }
  zip.end();

  await mkdir(dirname(zipPath), { recursive: true });
  const temporary = `${zipPath}.${randomBytes(6).toString('hex')}.partial`;
  const hash = createHash('sha256');
  let bytes = 0;
  try {
    await pipeline(
      // yazl types its output as the legacy NodeJS.ReadableStream; it is a stream.Readable.
      zip.outputStream as Readable,
      async function* (source: AsyncIterable<Buffer>) {
        for await (const chunk of source) {
          hash.update(chunk);
          bytes += chunk.length;
          yield chunk;
        }
      },
      createWriteStream(temporary),
    );
    await rename(temporary, zipPath);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  const digest = hash.digest();
  return {
    zip_path: zipPath,
    sha256_hex: digest.toString('hex'),
    code_sha256_base64: digest.toString('base64'),
    files: sorted.length,
    bytes,
  };
}

/** Prefixes every selected file's path, e.g. `backend/` for the EC2 package layout. */
export function underPrefix(files: SelectedFile[], prefix: string): ZipEntry[] {
  const clean = prefix.replace(/^\/+|\/+$/g, '');
  return files.map((file) => ({ ...file, path: clean ? `${clean}/${file.path}` : file.path }));
}

/** Selects the files of `root` and packages them. */
export async function packageDirectory(
  root: string,
  zipPath: string,
  options: SelectOptions,
): Promise<PackageResult> {
  return writeDeterministicZip(await selectFiles(root, options), zipPath);
}
