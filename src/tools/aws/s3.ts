/** The S3 tool family: buckets, objects, and static website publishing. */
import type { AnyTool } from '../define-tool.js';
import { createBucket } from './s3-create-bucket.js';
import { downloadS3 } from './s3-download.js';
import { listS3Objects } from './s3-list.js';
import { publishStaticSite } from './s3-publish-site.js';
import { uploadS3 } from './s3-upload.js';

export { createBucket, downloadS3, listS3Objects, publishStaticSite, uploadS3 };

export const S3_TOOLS: AnyTool[] = [createBucket, uploadS3, downloadS3, listS3Objects, publishStaticSite];
