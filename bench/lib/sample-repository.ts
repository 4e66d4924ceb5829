/**
 * A synthetic source repository for the packaging benchmark: nested folders, many small files
 * and a few large ones, source-like text (compresses about 4:1) beside random binary assets (do
 * not compress). Seeded, so every run packages the very same tree.
 */
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface SampleRepositoryOptions {
  totalBytes: number;
  files: number;
  seed?: number;
}

export interface SampleRepository {
  root: string;
  files: number;
  bytes: number;
  binaryBytes: number;
}

/** xorshift32: tiny, fast and the same on every machine. */
function generator(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state;
  };
}

const WORDS = (
  'const let function return import export from async await if else for while new this class ' +
  'interface type string number boolean true false null undefined deploy region bucket service ' +
  'cluster task lambda handler request response error status result value index items config ' +
  'settings user session event message plan step approve preview apply rollback journal store'
).split(' ');
const FOLDERS = 'src lib api web app core util models routes components assets images tests docs'.split(' ');
const TEXT_EXTENSIONS = ['.ts', '.py', '.md', '.json', '.css', '.html'];
const BINARY_EXTENSIONS = ['.png', '.woff2', '.bin', '.jpg'];

function textContent(size: number, next: () => number): Buffer {
  const buffer = Buffer.allocUnsafe(size);
  let offset = 0;
  let column = 0;
  while (offset < size) {
    const word = WORDS[next() % WORDS.length] as string;
    const separator = column > 70 ? '\n' : next() % 9 === 0 ? '(' : ' ';
    column = separator === '\n' ? 0 : column + word.length + 1;
    offset += buffer.write(word + separator, offset, 'latin1');
  }
  return buffer;
}

function binaryContent(size: number, next: () => number): Buffer {
  const words = new Uint32Array(Math.ceil(size / 4));
  for (let index = 0; index < words.length; index += 1) words[index] = next();
  return Buffer.from(words.buffer, 0, size);
}

/** File sizes: log-uniform from 64 B to 4 MiB, scaled so they add up to `totalBytes`. */
function fileSizes(options: SampleRepositoryOptions, next: () => number): number[] {
  const low = Math.log(64);
  const high = Math.log(4 * 1024 * 1024);
  const raw = Array.from({ length: options.files }, () =>
    Math.exp(low + ((next() % 1_000_000) / 1_000_000) * (high - low)),
  );
  const scale = options.totalBytes / raw.reduce((sum, size) => sum + size, 0);
  const sizes = raw.map((size) => Math.max(1, Math.floor(size * scale)));
  sizes[0] = (sizes[0] as number) + options.totalBytes - sizes.reduce((sum, size) => sum + size, 0);
  return sizes;
}

function folderFor(index: number, next: () => number): string {
  const depth = 1 + (next() % 4);
  const parts = Array.from({ length: depth }, () => FOLDERS[next() % FOLDERS.length] as string);
  return join(...parts, `m${index % 37}`);
}

export async function createSampleRepository(
  root: string,
  options: SampleRepositoryOptions,
): Promise<SampleRepository> {
  const next = generator(options.seed ?? 20_240_601);
  const sizes = fileSizes(options, next);
  let binaryBytes = 0;
  for (const [index, size] of sizes.entries()) {
    const binary = next() % 100 < 35;
    const extensions = binary ? BINARY_EXTENSIONS : TEXT_EXTENSIONS;
    const folder = join(root, folderFor(index, next));
    const path = join(folder, `file-${index}${extensions[next() % extensions.length]}`);
    await mkdir(folder, { recursive: true });
    await writeFile(path, binary ? binaryContent(size, next) : textContent(size, next));
    // A few scripts keep their executable bit, as in a real repository.
    if (!binary && index % 97 === 0) await chmod(path, 0o755);
    if (binary) binaryBytes += size;
  }
  return { root, files: sizes.length, bytes: options.totalBytes, binaryBytes };
}
