/** Input schemas for S3 names: bucket naming rules checked before any call, with a message that lists them. */
import { z } from 'zod';

export const BUCKET_NAME_RULES =
  'bucket names are 3-63 characters of lowercase letters, digits, dots and hyphens, start and end with a letter or digit, ' +
  "have no two adjacent dots, are not an IP address, do not start with 'xn--' or 'sthree-' and do not end with '-s3alias', '--ol-s3' or '.mrap'";

/** The first rule `name` breaks, or undefined when it is a valid general-purpose bucket name. */
export function bucketNameProblem(name: string): string | undefined {
  if (name.length < 3 || name.length > 63) return `'${name}' has ${name.length} characters`;
  if (/[^a-z0-9.-]/.test(name)) return `'${name}' contains characters other than a-z, 0-9, '.' and '-'`;
  if (!/^[a-z0-9].*[a-z0-9]$/.test(name)) return `'${name}' does not start and end with a letter or digit`;
  if (name.includes('..')) return `'${name}' has two adjacent dots`;
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(name)) return `'${name}' looks like an IP address`;
  if (name.startsWith('xn--') || name.startsWith('sthree-')) return `'${name}' has a reserved prefix`;
  if (/(-s3alias|--ol-s3|\.mrap|--x-s3)$/.test(name)) return `'${name}' has a reserved suffix`;
  return undefined;
}

export const bucketNameSchema = z
  .string()
  .superRefine((name, context) => {
    const problem = bucketNameProblem(name);
    if (problem) context.addIssue({ code: 'custom', message: `${problem}; ${BUCKET_NAME_RULES}` });
  })
  .describe('S3 bucket name: 3-63 lowercase letters, digits, dots or hyphens, globally unique');

export const objectKeySchema = z
  .string()
  .min(1, 'object keys are 1-1024 characters')
  .max(1024, 'object keys are 1-1024 characters')
  .describe('object key inside the bucket, e.g. assets/app.js');
