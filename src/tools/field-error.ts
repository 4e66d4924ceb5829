/** Errors that name the input field at fault; the runner reports that name as the envelope's `field`. */
import { CopilotError, type CopilotErrorCode, type CopilotErrorOptions } from '../errors/copilot-error.js';

export type FieldError = CopilotError & { field: string };

/** A CopilotError carrying `field`, so the caller (a model, a form) knows which argument to fix. */
export function fieldError(
  code: CopilotErrorCode,
  field: string,
  message: string,
  options: CopilotErrorOptions = {},
): FieldError {
  return Object.assign(new CopilotError(code, message, options), { field });
}

/** The field a CopilotError names, when it names one. */
export function fieldOf(error: CopilotError): string | undefined {
  const { field } = error as Partial<FieldError>;
  return typeof field === 'string' && field !== '' ? field : undefined;
}
