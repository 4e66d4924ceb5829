/** The SHA-256 of a Lambda deployment package, in the base64 form Lambda reports as CodeSha256. */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

/** Largest zip Lambda accepts inline (ZipFile); bigger packages must come from S3. */
export const DIRECT_UPLOAD_LIMIT_BYTES = 50 * 1024 * 1024;

/** SHA-256 of the bytes of a stream, base64-encoded like Lambda's CodeSha256. */
export async function sha256Base64(chunks: AsyncIterable<Uint8Array | string>): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of chunks) hash.update(chunk);
  return hash.digest('base64');
}

/** CodeSha256 of a zip file on disk: equal to what Lambda reports once that zip is deployed. */
export function lambdaCodeSha256(path: string, signal?: AbortSignal): Promise<string> {
  return sha256Base64(createReadStream(path, signal ? { signal } : {}));
}

/** The same digest in hex, safe in file names (base64 has `/`). */
export function codeSha256Hex(codeSha256: string): string {
  return Buffer.from(codeSha256, 'base64').toString('hex');
}

/** A short form for previews: `a1b2c3d4e5`. */
export function shortSha(codeSha256: string | undefined): string {
  return codeSha256 ? codeSha256Hex(codeSha256).slice(0, 10) : '(none)';
}
