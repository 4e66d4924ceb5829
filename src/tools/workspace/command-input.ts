/** What pnpm_client and uv_client share about their input: one argument's rules, and refusals naming the field. */
import { z } from 'zod';
import { type FieldError, fieldError } from '../field-error.js';

/** One argument of a command: any text up to 10,000 characters, never a NUL byte (argv cannot carry one). */
export const commandArgumentSchema = z
  .string()
  .max(10_000)
  .refine((arg) => !arg.includes('\0'), 'arguments may not contain NUL bytes');

/** A command refused by a tool's rules, naming the input field that holds the offending argument. */
export function commandDenied(message: string, field = 'args'): FieldError {
  return fieldError('command_denied', field, message);
}
