/**
 * The REST API of `aws-copilot serve` as zod schemas shared with the web UI: request bodies the
 * server validates, and the shapes it answers with. Resources are the store's records (camelCase);
 * every failure is `{ error: { code, message, field? } }`.
 */
import { z } from 'zod';
import { maskedCredentialSchema } from './credentials.js';
import { eventFrameSchema, PROTOCOL_VERSION } from './ws.js';

export const API_PREFIX = '/api';
/** State-changing requests authenticated by the session cookie carry this header (CSRF protection). */
export const CSRF_HEADER = 'x-csrf-token';
/** Largest request body the server reads (413 above it). */
export const MAX_BODY_BYTES = 64 * 1024;

export const apiErrorSchema = z.object({
  error: z.object({
    /** `invalid_input`, `unauthorized`, `forbidden`, `csrf_failed`, `not_found`, `payload_too_large`, `rate_limited`... */
    code: z.string(),
    message: z.string(),
    /** The failing field's path when the body was invalid. */
    field: z.string().optional(),
  }),
});

export const loginBodySchema = z.strictObject({
  username: z.string().min(1).max(128),
  password: z.string().min(1).max(1024),
});

/** Single-user mode: the access token printed at start, exchanged for a session cookie. */
export const tokenBodySchema = z.strictObject({ token: z.string().min(1).max(256) });

export const userSchema = z.object({ id: z.string(), name: z.string() });

export const meSchema = z.object({
  user: userSchema,
  mode: z.enum(['single-user', 'multi-user']),
  /** Send it as the x-csrf-token header with every POST, PUT and DELETE; absent for bearer-token clients. */
  csrfToken: z.string().optional(),
});

export const healthSchema = z.object({
  status: z.literal('ok'),
  version: z.string(),
  protocolVersion: z.literal(PROTOCOL_VERSION),
  mode: z.enum(['single-user', 'multi-user']),
  store: z.string(),
  /** True when AWS calls go to the local emulator; the UI shows `banner` then. */
  sandbox: z.boolean(),
  banner: z.string().optional(),
});

export const sessionSchema = z.object({
  id: z.string(),
  title: z.string(),
  workflow: z.enum(['deploy', 'ecs', 'tool', 'chat']).optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const turnSchema = z.object({
  seq: z.number(),
  role: z.enum(['user', 'assistant', 'tool', 'system']),
  content: z.string(),
  at: z.string(),
});

export const deploymentSchema = z.object({
  id: z.string(),
  sessionId: z.string(),
  status: z.string(),
  target: z.string(),
  region: z.string(),
  planHash: z.string().optional(),
  plan: z.unknown().optional(),
  result: z.unknown().optional(),
  url: z.string().optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const journalEntrySchema = z.object({
  stepId: z.string(),
  status: z.string(),
  tool: z.string(),
  args: z.unknown(),
  result: z.unknown().optional(),
  created: z.array(z.unknown()),
  error: z.string().optional(),
  at: z.string(),
});

export const reportSummarySchema = z.object({
  id: z.string(),
  sessionId: z.string(),
  name: z.string(),
  at: z.string(),
});

export const reportSchema = reportSummarySchema.extend({ markdown: z.string() });

export const telemetryEventSchema = z.object({
  id: z.string(),
  agent: z.string(),
  phase: z.string(),
  status: z.string(),
  latencyMs: z.number().optional(),
  errorCode: z.string().nullable().optional(),
  attributes: z.record(z.string(), z.unknown()).optional(),
  at: z.string(),
});

export const sessionListSchema = z.object({ sessions: z.array(sessionSchema) });
export const transcriptSchema = z.object({ session: sessionSchema, turns: z.array(turnSchema) });
export const deploymentListSchema = z.object({ deployments: z.array(deploymentSchema) });
export const deploymentDetailSchema = z.object({
  deployment: deploymentSchema,
  journal: z.array(journalEntrySchema),
  reports: z.array(reportSummarySchema),
});
export const credentialListSchema = z.object({ credentials: z.array(maskedCredentialSchema) });
/** The session's events after `after_seq`, as the WebSocket sends them; `lastSeq` is where to continue. */
export const eventListSchema = z.object({ events: z.array(eventFrameSchema), lastSeq: z.number() });
export const reportListSchema = z.object({ reports: z.array(reportSummarySchema) });
export const reportAnswerSchema = z.object({ report: reportSchema });
export const telemetryListSchema = z.object({ events: z.array(telemetryEventSchema) });

export type ApiError = z.infer<typeof apiErrorSchema>;
export type Me = z.infer<typeof meSchema>;
export type Health = z.infer<typeof healthSchema>;
