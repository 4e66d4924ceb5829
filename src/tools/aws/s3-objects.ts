/** Object-level S3 steps shared by the upload and publish tools: probe, upload (single or multipart), ETags. */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import type { ToolContext } from '../define-tool.js';
import { fieldError } from '../field-error.js';
import { isAwsServiceError } from './aws-error.js';
import { callS3, wrapS3Error } from './s3-buckets.js';
import { s3Sdk, s3UploadSdk } from './sdk.js';

const MIB = 1024 * 1024;
/** Files above this size go up in parts, so one failed request does not resend the whole file. */
export const MULTIPART_THRESHOLD = 8 * MIB;
export const PART_SIZE = 8 * MIB;
/** S3 accepts at most 10,000 parts; bigger files get bigger parts. */
const MAX_PARTS = 10_000;

export function partSizeFor(size: number): number {
  return Math.max(PART_SIZE, Math.ceil(size / MAX_PARTS / MIB) * MIB);
}

export function isMultipart(size: number): boolean {
  return size > MULTIPART_THRESHOLD;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < MIB) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / MIB).toFixed(1)} MiB`;
}

/** ETags come quoted from S3; results carry them bare. */
export function bareEtag(etag: string | undefined): string {
  return (etag ?? '').replaceAll('"', '');
}

/** Size of a regular file, or a clear error naming the field. */
export async function fileSize(path: string, field: string, given: string): Promise<number> {
  try {
    const info = await stat(path);
    if (!info.isFile())
      throw fieldError('invalid_input', field, `${field}: '${given}' is not a regular file`);
    return info.size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    throw fieldError('not_found', field, `${field}: '${given}' does not exist in the workspace`);
  }
}

/**
 * The ETag S3 will give this file when uploaded the way uploadFile does it (SSE-S3 or none):
 * the MD5 for a single PUT, the MD5 of the part MD5s plus `-parts` for a multipart upload.
 */
export async function localEtag(path: string, size: number): Promise<string> {
  if (!isMultipart(size))
    return createHash('md5')
      .update(await readFile(path))
      .digest('hex');
  const partSize = partSizeFor(size);
  const partDigests: Buffer[] = [];
  let part = createHash('md5');
  let filled = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: MIB }) as AsyncIterable<Buffer>) {
    let offset = 0;
    while (offset < chunk.length) {
      const take = Math.min(partSize - filled, chunk.length - offset);
      part.update(chunk.subarray(offset, offset + take));
      filled += take;
      offset += take;
      if (filled === partSize) {
        partDigests.push(part.digest());
        part = createHash('md5');
        filled = 0;
      }
    }
  }
  if (filled > 0) partDigests.push(part.digest());
  return `${createHash('md5').update(Buffer.concat(partDigests)).digest('hex')}-${partDigests.length}`;
}

export interface ObjectState {
  size: number;
  etag: string;
}

/** The object's size and ETag, or undefined when there is no such object. */
export async function headObject(
  context: ToolContext,
  bucket: string,
  key: string,
  region: string,
): Promise<ObjectState | undefined> {
  const { HeadObjectCommand } = await s3Sdk();
  try {
    const head = await context.aws
      .s3(region)
      .send(new HeadObjectCommand({ Bucket: bucket, Key: key }), { abortSignal: context.signal });
    return { size: head.ContentLength ?? 0, etag: bareEtag(head.ETag) };
  } catch (error) {
    if (isAwsServiceError(error) && error.$metadata?.httpStatusCode === 404) return undefined;
    throw wrapS3Error(error, `HeadObject s3://${bucket}/${key}`);
  }
}

/** Whether overwritten objects keep their previous version (only when versioning is Enabled). */
export async function isVersioned(context: ToolContext, bucket: string, region: string): Promise<boolean> {
  const { GetBucketVersioningCommand } = await s3Sdk();
  const versioning = await callS3(`GetBucketVersioning ${bucket}`, () =>
    context.aws
      .s3(region)
      .send(new GetBucketVersioningCommand({ Bucket: bucket }), { abortSignal: context.signal }),
  );
  return versioning.Status === 'Enabled';
}

export interface UploadRequest {
  bucket: string;
  key: string;
  region: string;
  path: string;
  size: number;
  contentType: string;
  cacheControl?: string | undefined;
}

export interface UploadOutcome {
  etag: string;
  size: number;
  multipart: boolean;
  /** The new version's id in a versioned bucket (S3's literal 'null' version is left out). */
  versionId: string | undefined;
}

function realVersion(versionId: string | undefined): string | undefined {
  return versionId && versionId !== 'null' ? versionId : undefined;
}

/**
 * Uploads one workspace file. Small files go in one PutObject from memory, so SDK retries can
 * resend the body; large ones go in 8 MiB parts through lib-storage, reporting progress.
 */
export async function uploadFile(context: ToolContext, request: UploadRequest): Promise<UploadOutcome> {
  const s3 = context.aws.s3(request.region);
  const target = `s3://${request.bucket}/${request.key}`;
  const params = {
    Bucket: request.bucket,
    Key: request.key,
    ContentType: request.contentType,
    ...(request.cacheControl ? { CacheControl: request.cacheControl } : {}),
  };
  if (!isMultipart(request.size)) {
    const { PutObjectCommand } = await s3Sdk();
    const body = await readFile(request.path);
    const output = await callS3(`PutObject ${target}`, () =>
      s3.send(new PutObjectCommand({ ...params, Body: body }), { abortSignal: context.signal }),
    );
    return {
      etag: bareEtag(output.ETag),
      size: body.length,
      multipart: false,
      versionId: realVersion(output.VersionId),
    };
  }
  const { Upload } = await s3UploadSdk();
  const abortController = new AbortController();
  const onAbort = () => abortController.abort(context.signal.reason);
  context.signal.addEventListener('abort', onAbort, { once: true });
  const upload = new Upload({
    client: s3,
    params: { ...params, Body: createReadStream(request.path) },
    partSize: partSizeFor(request.size),
    queueSize: 4,
    abortController,
  });
  let reported = 0;
  upload.on('httpUploadProgress', (progress) => {
    const loaded = progress.loaded ?? 0;
    // One message per ~10% keeps the stream readable on multi-gigabyte files.
    if (loaded - reported < request.size / 10 && loaded < request.size) return;
    reported = loaded;
    context.progress(`${target}: ${formatBytes(loaded)} of ${formatBytes(request.size)} uploaded`);
  });
  try {
    const output = await callS3(`multipart upload ${target}`, () => upload.done());
    return {
      etag: bareEtag(output.ETag),
      size: request.size,
      multipart: true,
      versionId: realVersion(output.VersionId),
    };
  } finally {
    context.signal.removeEventListener('abort', onAbort);
  }
}

/** Records an uploaded object so compensation can delete it or bring the previous version back. */
export function recordUpload(
  context: ToolContext,
  request: Pick<UploadRequest, 'bucket' | 'key' | 'region'>,
  outcome: UploadOutcome,
  existedBefore: boolean,
): void {
  context.created({
    type: 's3:object',
    id: `s3://${request.bucket}/${request.key}`,
    region: request.region,
    detail: {
      bucket: request.bucket,
      key: request.key,
      existed_before: existedBefore,
      ...(outcome.versionId ? { version_id: outcome.versionId } : {}),
    },
  });
}
