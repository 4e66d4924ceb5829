/**
 * The REST client of the UI: same-origin JSON over the session cookie, the CSRF header on every
 * state-changing request, and every answer checked against its schema in src/protocol/api.ts.
 */
import type { z } from 'zod';
import { API_PREFIX, apiErrorSchema, CSRF_HEADER } from '../../../src/protocol/api.js';

/** A failed request, carrying the server's `{ error: { code, message, field } }` when it sent one. */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'ApiFailure';
  }
}

/** Bound to the login: GET /api/auth/me (or the sign-in answer) hands it over. */
let csrfToken: string | undefined;

export function setCsrfToken(token: string | undefined): void {
  csrfToken = token;
}

async function failureOf(response: Response): Promise<ApiFailure> {
  const body: unknown = await response.json().catch(() => undefined);
  const parsed = apiErrorSchema.safeParse(body);
  if (parsed.success) {
    const { code, message, field } = parsed.data.error;
    return new ApiFailure(response.status, code, message, field);
  }
  return new ApiFailure(response.status, 'http_error', `the server answered ${response.status}`);
}

async function request(method: string, path: string, body?: unknown): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (method !== 'GET' && csrfToken) headers[CSRF_HEADER] = csrfToken;
  if (body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(`${API_PREFIX}${path}`, {
      method,
      headers,
      credentials: 'same-origin',
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch {
    throw new ApiFailure(0, 'network_error', 'the server cannot be reached: is aws-copilot serve running?');
  }
  if (!response.ok) throw await failureOf(response);
  return response;
}

async function parsed<T>(response: Response, schema: z.ZodType<T>): Promise<T> {
  const result = schema.safeParse(await response.json().catch(() => undefined));
  if (!result.success)
    throw new ApiFailure(
      response.status,
      'invalid_response',
      `the server's answer does not match this page's version (${result.error.issues[0]?.path.join('.') || 'body'}); reload the page`,
    );
  return result.data;
}

/** GET a path under /api and parse the answer. */
export async function apiGet<T>(path: string, schema: z.ZodType<T>): Promise<T> {
  return parsed(await request('GET', path), schema);
}

/** POST or PUT a JSON body and parse the answer. */
export async function apiSend<T>(
  method: 'POST' | 'PUT',
  path: string,
  body: unknown,
  schema: z.ZodType<T>,
): Promise<T> {
  return parsed(await request(method, path, body), schema);
}

/** A request whose answer has no body worth reading (DELETE, logout). */
export async function apiCall(method: 'POST' | 'DELETE', path: string): Promise<void> {
  await request(method, path);
}

/** What to show a person for any failure. */
export function messageOf(error: unknown): string {
  if (error instanceof ApiFailure) return error.message;
  return error instanceof Error ? error.message : String(error);
}
