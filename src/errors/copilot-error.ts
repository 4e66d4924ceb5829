/** The one error type aws-copilot raises on purpose: a stable code, a message that says what to do. */

/** Closed set of error codes; callers branch on these, never on message text. */
export type CopilotErrorCode =
  | 'invalid_input'
  | 'unknown_tool'
  | 'aws_error'
  | 'not_found'
  | 'approval_required'
  | 'role_denied'
  | 'policy_denied'
  | 'timeout'
  | 'rate_limited'
  | 'budget_exceeded'
  | 'workspace_violation'
  | 'command_denied'
  | 'command_failed'
  | 'config_invalid'
  | 'sandbox_unavailable'
  | 'conflict'
  | 'store_unavailable'
  | 'store_incompatible'
  | 'vault_locked'
  | 'internal';

export interface CopilotErrorOptions {
  /** True when the same call may succeed if simply tried again later. */
  retryable?: boolean;
  /** The provider's own error code (an AWS error code such as `InvalidAMIID.NotFound`). */
  awsCode?: string;
  /** The AWS request id of the failed call, for support tickets and the audit trail. */
  awsRequestId?: string;
  cause?: unknown;
}

export class CopilotError extends Error {
  readonly code: CopilotErrorCode;
  readonly retryable: boolean;
  readonly awsCode: string | undefined;
  readonly awsRequestId: string | undefined;

  constructor(code: CopilotErrorCode, message: string, options: CopilotErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CopilotError';
    this.code = code;
    this.retryable = options.retryable ?? false;
    this.awsCode = options.awsCode;
    this.awsRequestId = options.awsRequestId;
  }
}

export function isCopilotError(error: unknown): error is CopilotError {
  return error instanceof CopilotError;
}
