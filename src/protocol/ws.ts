/**
 * The `/ws/agent` protocol, version 1: every frame in either direction as a zod schema, shared by
 * the server and the web UI. A connection belongs to one chat session (`?session_id=`, or a new
 * one the server names in `hello`). Frames are JSON text; each client frame may carry an `id` the
 * server echoes in the error, heartbeat, resume-end or turn-end it causes.
 */
import { z } from 'zod';
import { agentEventSchema, interruptAnswerSchema } from './events.js';

export const PROTOCOL_VERSION = 1;
export const WS_AGENT_PATH = '/ws/agent';
/** Largest client frame the server reads; a bigger one is answered with `frame_too_large` and dropped. */
export const MAX_CLIENT_FRAME_BYTES = 64 * 1024;
/** The server sends a heartbeat this often; a client that hears nothing for two intervals should reconnect. */
export const HEARTBEAT_INTERVAL_MS = 15_000;

const frameId = z.string().min(1).max(64).optional();

export const clientFrameSchema = z.discriminatedUnion('type', [
  /** What the person typed: starts a workflow, or adds to the one waiting on a form. */
  z.strictObject({
    type: z.literal('user-message'),
    id: frameId,
    text: z.string().trim().min(1).max(16_000),
  }),
  /** The answer to a form-request, approval-request or credential-request. */
  z.strictObject({ type: z.literal('interrupt-answer'), id: frameId, answer: interruptAnswerSchema }),
  /** Replays the session's events with seq > after_seq, then continues live, each event once. */
  z.strictObject({ type: z.literal('resume'), id: frameId, after_seq: z.int().min(0) }),
  /** Answered with a heartbeat carrying the same id. */
  z.strictObject({ type: z.literal('ping'), id: frameId }),
]);

export type ClientFrame = z.infer<typeof clientFrameSchema>;

/** An agent event as stored and delivered: its session and its sequence number in that session. */
export const eventFrameSchema = z.intersection(
  agentEventSchema,
  z.object({ seq: z.int().min(1), session_id: z.string() }),
);

export type EventFrame = z.infer<typeof eventFrameSchema>;

export const helloFrameSchema = z.strictObject({
  type: z.literal('hello'),
  protocol_version: z.literal(PROTOCOL_VERSION),
  session_id: z.string(),
  user: z.strictObject({ id: z.string(), name: z.string() }),
  /** True while a turn of this session runs (a reloaded page shows its progress after `resume`). */
  running: z.boolean(),
  heartbeat_ms: z.int(),
  max_frame_bytes: z.int(),
});

export const heartbeatFrameSchema = z.strictObject({
  type: z.literal('heartbeat'),
  at: z.string(),
  id: frameId,
});

export const protocolErrorCodeSchema = z.enum([
  /** Not JSON text, or not a valid client frame (`field` names what is wrong). */
  'frame_invalid',
  'frame_too_large',
  'rate_limited',
  /** A turn of this session is still running; wait for its turn-end. */
  'busy',
  /** The answer does not fit what the session waits for, or nothing waits. */
  'invalid_input',
  'conflict',
  'not_found',
  'internal',
]);

/** A refused frame or a failed request; unlike the agents' `error` events it has no seq and is not stored. */
export const protocolErrorFrameSchema = z.strictObject({
  type: z.literal('error'),
  code: protocolErrorCodeSchema,
  message: z.string(),
  field: z.string().optional(),
  id: frameId,
});

/** Sent after a resume's replay: the client now has every event up to `last_seq`; live ones follow. */
export const resumeEndFrameSchema = z.strictObject({
  type: z.literal('resume-end'),
  session_id: z.string(),
  last_seq: z.int().min(0),
  running: z.boolean(),
  id: frameId,
});

/** A turn finished: `waiting` when the workflow paused for a form, credentials or an approval. */
export const turnEndFrameSchema = z.strictObject({
  type: z.literal('turn-end'),
  session_id: z.string(),
  workflow: z.enum(['deploy', 'ecs', 'tool', 'chat']),
  status: z.enum(['waiting', 'done']),
  id: frameId,
});

/** Every server frame; event frames are told apart from the others by their `seq`. */
export const serverFrameSchema = z.union([
  eventFrameSchema,
  helloFrameSchema,
  heartbeatFrameSchema,
  protocolErrorFrameSchema,
  resumeEndFrameSchema,
  turnEndFrameSchema,
]);

export type HelloFrame = z.infer<typeof helloFrameSchema>;
export type HeartbeatFrame = z.infer<typeof heartbeatFrameSchema>;
export type ProtocolErrorFrame = z.infer<typeof protocolErrorFrameSchema>;
export type ProtocolErrorCode = z.infer<typeof protocolErrorCodeSchema>;
export type ResumeEndFrame = z.infer<typeof resumeEndFrameSchema>;
export type TurnEndFrame = z.infer<typeof turnEndFrameSchema>;
export type ServerFrame = z.infer<typeof serverFrameSchema>;
