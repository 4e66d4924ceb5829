/** One error shape for every route: `{ error: { code, message, field? } }` with the right status. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { type CopilotErrorCode, isCopilotError } from '../errors/copilot-error.js';
import type { ApiError } from '../protocol/api.js';
import type { Identity } from './auth.js';

export function sendError(
  reply: FastifyReply,
  status: number,
  code: string,
  message: string,
  field?: string,
): FastifyReply {
  const body: ApiError = { error: { code, message, ...(field ? { field } : {}) } };
  return reply.code(status).type('application/json; charset=utf-8').send(body);
}

/** The parsed value, or undefined after answering 400 with the first failing field's path. */
export function parseWith<T>(
  schema: z.ZodType<T>,
  value: unknown,
  reply: FastifyReply,
  prefix?: string,
): T | undefined {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = [prefix, ...(issue?.path ?? []).map(String)].filter(Boolean).join('.');
  sendError(
    reply,
    400,
    'invalid_input',
    `${field || 'body'}: ${issue?.message ?? 'invalid'}`,
    field || undefined,
  );
  return undefined;
}

const STATUS: Partial<Record<CopilotErrorCode, number>> = {
  invalid_input: 400,
  not_found: 404,
  conflict: 409,
  rate_limited: 429,
  vault_locked: 503,
  store_unavailable: 503,
};

/** Answers a CopilotError with its own code; anything else is a 500 whose details stay in the log. */
export function sendFailure(request: FastifyRequest, reply: FastifyReply, error: unknown): FastifyReply {
  if (isCopilotError(error) && STATUS[error.code]) {
    const field = (error as { field?: unknown }).field;
    return sendError(
      reply,
      STATUS[error.code] as number,
      error.code,
      error.message,
      typeof field === 'string' ? field : undefined,
    );
  }
  request.log.error({ error: (error as Error).message }, 'request failed');
  return sendError(reply, 500, 'internal', 'the server could not answer this request; see its log');
}

/** The caller; the auth hook has refused every request of a non-public route without one. */
export function identityOf(request: FastifyRequest): Identity {
  if (!request.identity) throw new Error(`route ${request.url} was reached without an identity`);
  return request.identity;
}

declare module 'fastify' {
  interface FastifyRequest {
    identity?: Identity;
  }
  interface FastifyContextConfig {
    /** Reachable without signing in (health, login, the UI's files). */
    public?: boolean;
    /** The answer is masks by construction; the response redactor would blank their keys. */
    masked?: boolean;
  }
}
