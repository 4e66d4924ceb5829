/**
 * Keeps a function's previous code and configuration under `<dataDir>/lambda-backups/` so a rollback
 * can put them back. Lambda has no "restore version N to $LATEST" call: undoing a code update means
 * uploading the old bytes again, so they are saved before every update.
 */
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { copyFile, mkdir, readdir, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { GetFunctionResponse } from '@aws-sdk/client-lambda';
import { CopilotError } from '../../errors/copilot-error.js';
import type { ToolContext } from '../define-tool.js';
import { codeSha256Hex, lambdaCodeSha256 } from './lambda-code.js';
import type { PreparedCode } from './lambda-source.js';

/** Where the previous code can be found again. */
export type CodeBackup =
  | { kind: 'file'; path: string }
  | { kind: 's3'; bucket: string; key: string; version_id?: string }
  | { kind: 'none'; reason: string };

/** Code packages kept per function (most recently used first); older ones are deleted. */
const KEEP_PACKAGES = 5;
const KEEP_SNAPSHOTS = 20;
const DOWNLOAD_TIMEOUT_MS = 180_000;

function functionDir(context: ToolContext, region: string, functionName: string): string {
  return join(context.settings.dataDir, 'lambda-backups', region, functionName);
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/** Deletes the least recently used files of a folder beyond `keep`, counting files that share a stem as one. */
async function prune(dir: string, keep: number): Promise<void> {
  const names = (await readdir(dir, { withFileTypes: true })).filter((entry) => entry.isFile());
  const newest = new Map<string, number>();
  for (const entry of names) {
    const stem = entry.name.split('.')[0] ?? entry.name;
    const { mtimeMs } = await stat(join(dir, entry.name));
    newest.set(stem, Math.max(newest.get(stem) ?? 0, mtimeMs));
  }
  const stale = new Set(
    [...newest]
      .sort((a, b) => b[1] - a[1])
      .slice(keep)
      .map(([stem]) => stem),
  );
  for (const entry of names)
    if (stale.has(entry.name.split('.')[0] ?? entry.name)) await rm(join(dir, entry.name), { force: true });
}

/**
 * Remembers code this tool has just deployed, so the next update can back it up without a download
 * (and at all where Code.Location cannot be downloaded, as with the local emulator).
 */
export async function rememberDeployedCode(
  code: PreparedCode,
  region: string,
  functionName: string,
  context: ToolContext,
): Promise<void> {
  const dir = functionDir(context, region, functionName);
  const stem = join(dir, codeSha256Hex(code.sha256));
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    if (code.kind === 's3') {
      const reference = { bucket: code.bucket, key: code.key, version_id: code.versionId };
      await writeFile(`${stem}.s3.json`, JSON.stringify(reference), { mode: 0o600 });
    } else if (await exists(`${stem}.zip`)) {
      const now = new Date();
      await utimes(`${stem}.zip`, now, now);
    } else {
      const partial = `${stem}.${randomUUID()}.partial`;
      await copyFile(code.path, partial);
      await rename(partial, `${stem}.zip`);
    }
    await prune(dir, KEEP_PACKAGES);
  } catch (error) {
    // The deployment itself succeeded; a full disk only costs the next rollback its shortcut.
    context.log.warn({ err: error, functionName }, 'could not keep a copy of the deployed Lambda code');
  }
}

/** Why Code.Location cannot be downloaded here, or undefined when it can. Never echoes the signed URL. */
export function locationProblem(location: string | undefined, endpointUrl: string | undefined) {
  if (!location) return 'GetFunction returned no Code.Location';
  let url: URL;
  try {
    url = new URL(location);
  } catch {
    return 'Code.Location is not a URL';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return `Code.Location is a ${url.protocol} URL`;
  if (endpointUrl && /\.amazonaws\.com(\.cn)?$/.test(url.hostname))
    return `the endpoint ${endpointUrl} answers with a Code.Location on real AWS (${url.hostname}) that it does not serve`;
  return undefined;
}

async function cachedBackup(dir: string, codeSha256: string): Promise<CodeBackup | undefined> {
  const stem = join(dir, codeSha256Hex(codeSha256));
  if ((await exists(`${stem}.zip`)) && (await lambdaCodeSha256(`${stem}.zip`)) === codeSha256) {
    const now = new Date();
    await utimes(`${stem}.zip`, now, now);
    return { kind: 'file', path: `${stem}.zip` };
  }
  if (await exists(`${stem}.s3.json`)) {
    const reference = JSON.parse(await readFile(`${stem}.s3.json`, 'utf8')) as {
      bucket: string;
      key: string;
      version_id?: string;
    };
    return { kind: 's3', ...reference };
  }
  return undefined;
}

async function download(location: string, path: string, context: ToolContext): Promise<void> {
  const signal = AbortSignal.any([context.signal, AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS)]);
  const response = await fetch(location, { signal });
  if (!response.ok || !response.body) throw new Error(`download answered HTTP ${response.status}`);
  await pipeline(
    Readable.fromWeb(response.body as WebReadableStream<Uint8Array>),
    createWriteStream(path, { mode: 0o600 }),
  );
}

/**
 * Saves the function's current code before it is replaced: from this tool's own copies when it
 * deployed that code, otherwise by downloading Code.Location (a pre-signed URL on AWS).
 */
export async function backupCurrentCode(
  current: GetFunctionResponse,
  region: string,
  functionName: string,
  context: ToolContext,
): Promise<CodeBackup> {
  const codeSha256 = current.Configuration?.CodeSha256;
  if (!codeSha256) return { kind: 'none', reason: 'the function reports no CodeSha256' };
  const dir = functionDir(context, region, functionName);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const cached = await cachedBackup(dir, codeSha256);
  if (cached) return cached;
  const problem = locationProblem(current.Code?.Location, context.aws.endpointUrl);
  if (problem) return { kind: 'none', reason: problem };
  const path = join(dir, `${codeSha256Hex(codeSha256)}.zip`);
  const partial = `${path}.${randomUUID()}.partial`;
  context.progress(`saving the current code of ${functionName} for rollback`);
  try {
    await download(current.Code?.Location as string, partial, context);
    const downloaded = await lambdaCodeSha256(partial, context.signal);
    if (downloaded !== codeSha256)
      return { kind: 'none', reason: `the downloaded package's SHA-256 ${downloaded} is not ${codeSha256}` };
    await rename(partial, path);
    await prune(dir, KEEP_PACKAGES);
    return { kind: 'file', path };
  } catch (error) {
    if (context.signal.aborted) throw context.signal.reason;
    return { kind: 'none', reason: `downloading Code.Location failed: ${(error as Error).message}` };
  } finally {
    await rm(partial, { force: true });
  }
}

/** For previews: a warning when a rollback could not restore today's code, without downloading it. */
export async function backupWarning(
  current: GetFunctionResponse,
  region: string,
  functionName: string,
  context: ToolContext,
): Promise<string | undefined> {
  const codeSha256 = current.Configuration?.CodeSha256;
  if (codeSha256 && (await cachedBackup(functionDir(context, region, functionName), codeSha256)))
    return undefined;
  const problem = locationProblem(current.Code?.Location, context.aws.endpointUrl);
  return problem
    ? `the current code cannot be saved for rollback (${problem}); undoing this step would restore the configuration only`
    : undefined;
}

/**
 * Writes the configuration fields about to change to a private file. The file, not the tool result,
 * holds them: environment variables often carry secrets that must not reach a transcript.
 */
export async function saveConfigurationSnapshot(
  previous: Record<string, unknown>,
  region: string,
  functionName: string,
  context: ToolContext,
): Promise<string> {
  const dir = join(functionDir(context, region, functionName), 'snapshots');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const path = join(dir, `${Date.now()}-${randomUUID().slice(0, 8)}.json`);
  await writeFile(path, JSON.stringify(previous), { mode: 0o600 });
  await prune(dir, KEEP_SNAPSHOTS);
  return path;
}

export async function readConfigurationSnapshot(path: string): Promise<Record<string, unknown>> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
  } catch (error) {
    throw new CopilotError(
      'not_found',
      `the saved previous configuration ${path} cannot be read (${(error as Error).message}); it is kept in the data folder of the machine that ran the update`,
      { cause: error },
    );
  }
}
