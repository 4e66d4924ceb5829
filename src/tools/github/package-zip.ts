/**
 * Deterministic zip packages: entries sorted by path, one fixed timestamp, fixed modes, deflate
 * level 6 (stored when deflate would not shrink the file), no extra attributes; the same files
 * give the same bytes (and the same Lambda CodeSha256).
 *
 * Files are read and compressed several at a time on libuv's thread pool while the archive is
 * written in order: a serial read-compress-write loop left a core idle and ran behind
 * `zip -r` (see the packaging benchmark in bench/packaging.ts).
 */
import { createHash, randomBytes } from 'node:crypto';
import { type FileHandle, mkdir, open, rename, rm } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { dirname } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { crc32, createDeflateRaw, deflateRaw } from 'node:zlib';
import { type SelectedFile, type SelectOptions, selectFiles } from './file-selection.js';
import {
  centralDirectoryRecord,
  dataDescriptor,
  endOfCentralDirectory,
  localFileHeader,
  METHOD_DEFLATED,
  METHOD_STORED,
  streamNeedsZip64,
  type ZipRecord,
} from './zip-records.js';

const FILE_MODE = 0o100644;
const EXECUTABLE_MODE = 0o100755;
const COMPRESSION_LEVEL = 6;
/** Files up to this size are read whole and compressed ahead of the writer; larger ones stream in turn. */
const IN_MEMORY_LIMIT = 8 * 1024 * 1024;
/** How many files ahead of the writer may be in flight: bounds memory to about 2 × 8 × 8 MiB. */
const LOOKAHEAD = 8;
const FLUSH_BYTES = 1024 * 1024;
/** zlib's smallest output chunk. */
const MIN_CHUNK = 64;

const deflateNow = promisify(deflateRaw);

/**
 * Deflates at most one file per core at a time. libuv's pool has four threads (file reads share
 * them), and on a two-core machine four deflates at once with the writer on the main thread made
 * the packaging benchmark as slow as single-threaded `zip`; one per core runs it in about 0.9 of its time.
 */
const deflateSlots = { free: Math.max(1, availableParallelism()), waiting: [] as Array<() => void> };

async function deflate(content: Buffer, options: { level: number; chunkSize: number }): Promise<Buffer> {
  if (deflateSlots.free > 0) deflateSlots.free -= 1;
  else await new Promise<void>((resolve) => deflateSlots.waiting.push(resolve));
  try {
    return await deflateNow(content, options);
  } finally {
    const next = deflateSlots.waiting.shift();
    if (next) next();
    else deflateSlots.free += 1;
  }
}

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

type Prepared =
  | { kind: 'buffer'; record: ZipRecord; data: Buffer }
  | { kind: 'stream'; entry: ZipEntry; handle: FileHandle; size: number };

function comparePaths(a: ZipEntry, b: ZipEntry): number {
  // Code-unit order, not localeCompare: the order must not depend on the machine's locale.
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}

function checkName(path: string): void {
  if (!path || path.startsWith('/') || path.includes('\\') || path.split('/').includes('..'))
    throw new Error(`cannot package '${path}': entry names are relative paths with forward slashes`);
}

function recordFor(entry: ZipEntry, fields: Omit<ZipRecord, 'name' | 'mode'>): ZipRecord {
  return {
    name: Buffer.from(entry.path, 'utf8'),
    mode: entry.executable ? EXECUTABLE_MODE : FILE_MODE,
    ...fields,
  };
}

/** Reads and compresses a small file, or opens a large one for streaming when its turn comes. */
async function prepare(entry: ZipEntry): Promise<Prepared> {
  const handle = await open(entry.absolute, 'r');
  try {
    const { size } = await handle.stat();
    if (size > IN_MEMORY_LIMIT) return { kind: 'stream', entry, handle, size };
    const content = await handle.readFile();
    await handle.close();
    // One output chunk about the input's size: the default 16 KiB chunks bounce a large file
    // between the thread pool and the main thread hundreds of times.
    const compressed = await deflate(content, {
      level: COMPRESSION_LEVEL,
      chunkSize: Math.max(MIN_CHUNK, content.length + 1024),
    });
    const stored = compressed.length >= content.length;
    const data = stored ? content : compressed;
    const record = recordFor(entry, {
      method: stored ? METHOD_STORED : METHOD_DEFLATED,
      crc32: crc32(content),
      compressedSize: data.length,
      uncompressedSize: content.length,
      streamed: false,
      zip64: false,
    });
    return { kind: 'buffer', record, data };
  } catch (error) {
    await handle.close().catch(() => undefined);
    throw error;
  }
}

/** The archive file: appends in order, hashing every byte, writing in chunks of about 1 MiB. */
class ArchiveFile {
  offset = 0;
  readonly hash = createHash('sha256');
  private chunks: Buffer[] = [];
  private chunkBytes = 0;

  private constructor(private readonly handle: FileHandle) {}

  static async create(path: string): Promise<ArchiveFile> {
    return new ArchiveFile(await open(path, 'wx', 0o644));
  }

  async append(buffer: Buffer): Promise<void> {
    this.hash.update(buffer);
    this.offset += buffer.length;
    this.chunks.push(buffer);
    this.chunkBytes += buffer.length;
    if (this.chunkBytes >= FLUSH_BYTES) await this.flush();
  }

  async close(): Promise<void> {
    await this.flush();
    await this.handle.close();
  }

  private async flush(): Promise<void> {
    const data = this.chunks.length === 1 ? (this.chunks[0] as Buffer) : Buffer.concat(this.chunks);
    this.chunks = [];
    this.chunkBytes = 0;
    for (let written = 0; written < data.length; ) {
      written += (await this.handle.write(data, written, data.length - written)).bytesWritten;
    }
  }
}

/** A large file: deflated as it is read, its CRC and sizes written after the data. */
async function streamEntry(
  prepared: Extract<Prepared, { kind: 'stream' }>,
  archive: ArchiveFile,
): Promise<ZipRecord> {
  const zip64 = streamNeedsZip64(prepared.size);
  const header = { method: METHOD_DEFLATED, streamed: true, zip64 } as const;
  await archive.append(
    localFileHeader(
      recordFor(prepared.entry, { ...header, crc32: 0, compressedSize: 0, uncompressedSize: 0 }),
    ),
  );
  let crc = 0;
  let read = 0;
  let written = 0;
  await pipeline(
    prepared.handle.createReadStream(),
    async function* (chunks: AsyncIterable<Buffer>) {
      for await (const chunk of chunks) {
        crc = crc32(chunk, crc);
        read += chunk.length;
        yield chunk;
      }
    },
    createDeflateRaw({ level: COMPRESSION_LEVEL }),
    async (compressed: AsyncIterable<Buffer>) => {
      for await (const chunk of compressed) {
        written += chunk.length;
        await archive.append(chunk);
      }
    },
  );
  if (read !== prepared.size) throw new Error(`${prepared.entry.path} changed while it was being packaged`);
  const record = recordFor(prepared.entry, {
    ...header,
    crc32: crc,
    compressedSize: written,
    uncompressedSize: read,
  });
  await archive.append(dataDescriptor(record));
  return record;
}

/** Closes the files opened ahead of the writer when packaging stops early. */
async function releaseAll(pending: Array<Promise<Prepared> | undefined>): Promise<void> {
  for (const settled of await Promise.allSettled(pending.filter((item) => item !== undefined))) {
    if (settled.status === 'fulfilled' && settled.value.kind === 'stream')
      await settled.value.handle.close().catch(() => undefined);
  }
}

async function writeEntries(sorted: ZipEntry[], archive: ArchiveFile): Promise<void> {
  const pending: Array<Promise<Prepared> | undefined> = [];
  let started = 0;
  const written: Array<{ record: ZipRecord; offset: number }> = [];
  try {
    for (let index = 0; index < sorted.length; index += 1) {
      for (; started < sorted.length && started <= index + LOOKAHEAD; started += 1) {
        const preparing = prepare(sorted[started] as ZipEntry);
        // Awaited in order below; until then a failure must not count as unhandled.
        preparing.catch(() => undefined);
        pending[started] = preparing;
      }
      const prepared = await (pending[index] as Promise<Prepared>);
      pending[index] = undefined;
      const offset = archive.offset;
      if (prepared.kind === 'stream') {
        written.push({ record: await streamEntry(prepared, archive), offset });
      } else {
        await archive.append(localFileHeader(prepared.record));
        await archive.append(prepared.data);
        written.push({ record: prepared.record, offset });
      }
    }
  } catch (error) {
    await releaseAll(pending);
    throw error;
  }
  const directoryOffset = archive.offset;
  for (const { record, offset } of written) await archive.append(centralDirectoryRecord(record, offset));
  await archive.append(
    endOfCentralDirectory(written.length, directoryOffset, archive.offset - directoryOffset),
  );
}

/** Writes `entries` to `zipPath` (atomically: a temp file renamed into place) and hashes the result. */
export async function writeDeterministicZip(entries: ZipEntry[], zipPath: string): Promise<PackageResult> {
  const sorted = [...entries].sort(comparePaths);
  for (const [index, entry] of sorted.entries()) {
    checkName(entry.path);
    if (index > 0 && entry.path === sorted[index - 1]?.path)
      throw new Error(`package would contain ${entry.path} twice`);
  }
  await mkdir(dirname(zipPath), { recursive: true });
  const temporary = `${zipPath}.${randomBytes(6).toString('hex')}.partial`;
  const archive = await ArchiveFile.create(temporary);
  try {
    await writeEntries(sorted, archive);
    await archive.close();
    await rename(temporary, zipPath);
  } catch (error) {
    await archive.close().catch(() => undefined);
    await rm(temporary, { force: true });
    throw error;
  }
  const digest = archive.hash.digest();
  return {
    zip_path: zipPath,
    sha256_hex: digest.toString('hex'),
    code_sha256_base64: digest.toString('base64'),
    files: sorted.length,
    bytes: archive.offset,
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
