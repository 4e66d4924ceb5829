/**
 * The AWS SDK packages the tools call, each imported the first time a call needs it: listing the
 * catalog, printing its schemas or its IAM policy never pays for them (client-ec2 alone takes
 * about a second to import; bench/cli-start.ts measures it). Tool files import only types from
 * the SDK at the top, and `await ec2Sdk()` inside preview, run and compensate; Node keeps a
 * module once loaded, so awaiting a loader again costs next to nothing.
 */
export const ec2Sdk = () => import('@aws-sdk/client-ec2');
export const ecsSdk = () => import('@aws-sdk/client-ecs');
export const lambdaSdk = () => import('@aws-sdk/client-lambda');
export const logsSdk = () => import('@aws-sdk/client-cloudwatch-logs');
export const s3Sdk = () => import('@aws-sdk/client-s3');
export const stsSdk = () => import('@aws-sdk/client-sts');
/** Multipart uploads of large objects. */
export const s3UploadSdk = () => import('@aws-sdk/lib-storage');
/** Presigned URLs (an instance downloads its package with one). */
export const s3PresignerSdk = () => import('@aws-sdk/s3-request-presigner');
