/** Turns AWS SDK exceptions into CopilotErrors that keep the AWS code and request id. */
import { CopilotError } from '../../errors/copilot-error.js';

interface AwsServiceErrorShape {
  name?: string;
  message?: string;
  Code?: string;
  $fault?: 'client' | 'server';
  $retryable?: { throttling?: boolean };
  $metadata?: { httpStatusCode?: number; requestId?: string };
}

const THROTTLING_CODES = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'RequestLimitExceeded',
  'TooManyRequestsException',
  'RequestThrottled',
  'SlowDown',
  'RequestThrottledException',
]);

const NOT_FOUND_PATTERN = /NotFound|NoSuch|DoesNotExist|ResourceNotFound/;

export function isAwsServiceError(error: unknown): error is AwsServiceErrorShape & Error {
  return error instanceof Error && typeof (error as AwsServiceErrorShape).$metadata === 'object';
}

/** Wraps an AWS SDK error; anything that is not one is returned unchanged. */
export function wrapAwsError(error: unknown, what: string): unknown {
  if (error instanceof CopilotError || !isAwsServiceError(error)) return error;
  const awsCode = error.Code ?? error.name ?? 'UnknownError';
  const status = error.$metadata?.httpStatusCode;
  const throttled = THROTTLING_CODES.has(awsCode) || Boolean(error.$retryable?.throttling);
  const retryable = throttled || error.$fault === 'server' || (status !== undefined && status >= 500);
  const code = throttled ? 'rate_limited' : NOT_FOUND_PATTERN.test(awsCode) ? 'not_found' : 'aws_error';
  const message = `${what} failed: AWS returned ${awsCode}: ${error.message || 'no message'}`;
  return new CopilotError(code, message, {
    retryable,
    awsCode,
    awsRequestId: error.$metadata?.requestId,
    cause: error,
  });
}

/** Runs an AWS call and rethrows its failure as a CopilotError naming what was attempted. */
export async function callAws<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw wrapAwsError(error, what);
  }
}

/** True when an AWS error carries the given code (works on raw SDK errors and wrapped ones). */
export function hasAwsCode(error: unknown, ...codes: string[]): boolean {
  if (error instanceof CopilotError) return error.awsCode !== undefined && codes.includes(error.awsCode);
  if (!isAwsServiceError(error)) return false;
  const awsCode = error.Code ?? error.name;
  return awsCode !== undefined && codes.includes(awsCode);
}
