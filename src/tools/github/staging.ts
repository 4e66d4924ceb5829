/**
 * Staging packages in S3 under content-addressed keys: an object already holding the same bytes is
 * reused (and then not deleted on rollback); a new one goes up through upload_s3.
 */
import { stat } from 'node:fs/promises';
import { CopilotError } from '../../errors/copilot-error.js';
import { regionOf } from '../aws/regions.js';
import { uploadS3 } from '../aws/s3.js';
import { probeBucket } from '../aws/s3-buckets.js';
import { headObject, localEtag } from '../aws/s3-objects.js';
import type { CreatedResource, PreviewChange, ToolContext } from '../define-tool.js';
import { resolveInWorkspace } from '../workspace/paths.js';

export interface StagedObject {
  bucket: string;
  key: string;
  uri: string;
  /** False when an identical object was already there. */
  uploaded: boolean;
}

/** Whether the object at `key` already holds exactly the bytes of the workspace file. */
async function alreadyStaged(
  bucket: string,
  key: string,
  zipFile: string,
  region: string,
  context: ToolContext,
) {
  const existing = await headObject(context, bucket, key, region);
  if (!existing) return false;
  const path = resolveInWorkspace(context.workspace, zipFile, 'zip_file');
  const { size } = await stat(path);
  return existing.size === size && existing.etag === (await localEtag(path, size));
}

function missingBucket(bucket: string): CopilotError {
  return new CopilotError(
    'not_found',
    `staging bucket ${bucket} does not exist; create it first (create_bucket) or name an existing bucket`,
    { awsCode: 'NoSuchBucket' },
  );
}

export async function stageObject(
  bucket: string,
  key: string,
  zipFile: string,
  region: string | undefined,
  context: ToolContext,
): Promise<StagedObject> {
  const where = regionOf({ region }, context);
  const uri = `s3://${bucket}/${key}`;
  const probe = await probeBucket(context, bucket, where);
  if (probe.state === 'missing') throw missingBucket(bucket);
  if (await alreadyStaged(bucket, key, zipFile, where, context)) {
    context.progress(`${uri} already holds this package`);
    return { bucket, key, uri, uploaded: false };
  }
  context.progress(`uploading the package to ${uri}`);
  await uploadS3.run(
    uploadS3.input.parse({
      bucket_name: bucket,
      file_path: zipFile,
      object_name: key,
      region: where,
      content_type: 'application/zip',
    }),
    context,
  );
  return { bucket, key, uri, uploaded: true };
}

/** What staging would do, without doing it. */
export async function stagingPreview(
  bucket: string,
  key: string,
  zipFile: string,
  region: string | undefined,
  context: ToolContext,
): Promise<{ changes: PreviewChange[]; warnings: string[] }> {
  const where = regionOf({ region }, context);
  const uri = `s3://${bucket}/${key}`;
  const probe = await probeBucket(context, bucket, where);
  if (probe.state === 'missing')
    return {
      changes: [{ kind: 'create', resource: uri, detail: `upload ${zipFile}` }],
      warnings: [`${missingBucket(bucket).message}; the upload would fail with NoSuchBucket`],
    };
  if (probe.state === 'foreign')
    return {
      changes: [{ kind: 'create', resource: uri, detail: `upload ${zipFile}` }],
      warnings: [`staging bucket ${bucket} is not accessible with these credentials (HTTP ${probe.status})`],
    };
  if (await alreadyStaged(bucket, key, zipFile, probe.region, context))
    return {
      changes: [{ kind: 'no-op', resource: uri, detail: 'already holds this package' }],
      warnings: [],
    };
  return { changes: [{ kind: 'create', resource: uri, detail: `upload ${zipFile}` }], warnings: [] };
}

/** Deletes the objects this call uploaded (recorded by upload_s3); undefined when there were none. */
export async function unstageObjects(
  created: CreatedResource[],
  context: ToolContext,
): Promise<string | undefined> {
  const objects = created.filter((resource) => resource.type === 's3:object');
  const first = objects[0]?.detail as { bucket?: string; key?: string } | undefined;
  if (!first?.bucket || !first.key) return undefined;
  const undo = uploadS3.compensate as NonNullable<typeof uploadS3.compensate>;
  return undo(
    { args: uploadS3.input.parse({ bucket_name: first.bucket, file_path: first.key }), created: objects },
    context,
  );
}
