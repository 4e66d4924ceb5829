/** What an MCP tool call returns: the redacted result as JSON text and as structured content. */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { z } from 'zod';
import { redactor } from '../guardrails/redaction.js';

/** One redaction for everything that leaves for another assistant, whatever produced it. */
export function jsonResult(value: Record<string, unknown>, isError = false): CallToolResult {
  // Through JSON first: what the client gets is JSON anyway, and an object met twice (a preview is
  // both `result` and `preview`) must stay itself rather than look circular to the redactor.
  const safe = redactor.value(JSON.parse(JSON.stringify(value)) as Record<string, unknown>);
  return {
    content: [{ type: 'text', text: JSON.stringify(safe, null, 2) }],
    structuredContent: safe,
    ...(isError ? { isError: true } : {}),
  };
}

/** A refusal or a failure outside the tool runner (bad workflow arguments, an unknown session). */
export function errorResult(code: string, message: string, field?: string): CallToolResult {
  return jsonResult(
    { status: 'error', error: { code, message, retryable: false, ...(field ? { field } : {}) } },
    true,
  );
}

/** Bad arguments of a tool this server implements itself, answered with the failing field's path. */
export function invalidInputResult(tool: string, error: z.ZodError): CallToolResult {
  const issue = error.issues[0];
  const field = issue?.path.join('.') ?? '';
  return errorResult(
    'invalid_input',
    `invalid arguments for ${tool}: ${field || '(arguments)'}: ${issue?.message ?? 'invalid'}`,
    field,
  );
}
