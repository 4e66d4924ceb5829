/**
 * `/ws/agent`: one chat session per connection (src/protocol/ws.ts). Turns run in LiveSessions,
 * so a closed socket stops nothing; a client that comes back sends `resume` and gets every event
 * it missed from the store, then the live ones, each exactly once. A bad frame is answered with an
 * error frame; the connection and the session carry on.
 */
import { randomUUID } from 'node:crypto';
import type { WebSocket } from '@fastify/websocket';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { RawData } from 'ws';
import { z } from 'zod';
import type { ChatSessions } from '../agents/chat-session.js';
import { isCopilotError } from '../errors/copilot-error.js';
import { agentEventSchema } from '../protocol/events.js';
import {
  type ClientFrame,
  clientFrameSchema,
  type EventFrame,
  MAX_CLIENT_FRAME_BYTES,
  PROTOCOL_VERSION,
  type ProtocolErrorCode,
  type ServerFrame,
  WS_AGENT_PATH,
} from '../protocol/ws.js';
import type { EventRepository, SessionRepository } from '../store/ports.js';
import type { Logger } from '../telemetry/logger.js';
import type { Identity } from './auth.js';
import { identityOf, parseWith, sendError } from './http-errors.js';
import type { LiveFrame, LiveSessions } from './live-sessions.js';
import type { RequestLimiter } from './request-limiter.js';

export interface AgentSocketOptions {
  chat: ChatSessions;
  live: LiveSessions;
  sessions: SessionRepository;
  events: EventRepository;
  limiter: RequestLimiter;
  heartbeatMs: number;
  log: Logger;
}

/** Events read from the store per query while replaying. */
const REPLAY_PAGE = 500;
/** A client this far behind is disconnected; it reconnects and resumes from the store. */
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;

const querySchema = z.object({
  session_id: z.uuid().optional(),
  protocol_version: z.coerce.number().int().optional(),
});

class AgentConnection {
  /** Seqs already sent on this connection: replay and live events overlap, each goes out once. */
  private readonly sent = new Set<number>();
  private lastSeq = 0;
  /** Live frames held back while a resume replays the store. */
  private held: LiveFrame[] | undefined;
  private answeredPing = true;
  private readonly unwatch: () => void;

  constructor(
    private readonly socket: WebSocket,
    private readonly identity: Identity,
    private readonly sessionId: string,
    /** The server named the session in `hello` and no message has been sent: it does not exist yet. */
    private newSession: boolean,
    private readonly options: AgentSocketOptions,
  ) {
    // Listeners first, synchronously: a frame sent right after the upgrade must not be missed.
    this.unwatch = options.live.watch(sessionId, (frame) => this.deliver(frame));
    socket.on('message', (data, isBinary) => {
      this.receive(data, isBinary).catch((error: unknown) => this.fail(error, undefined));
    });
    socket.on('pong', () => {
      this.answeredPing = true;
    });
    socket.on('error', (error) => options.log.debug({ error: error.message }, 'websocket error'));
    socket.on('close', () => this.unwatch());
    this.send({
      type: 'hello',
      protocol_version: PROTOCOL_VERSION,
      session_id: sessionId,
      user: { id: identity.userId, name: identity.name },
      running: options.live.isRunning(sessionId),
      heartbeat_ms: options.heartbeatMs,
      max_frame_bytes: MAX_CLIENT_FRAME_BYTES,
    });
  }

  /** Every heartbeat interval: a heartbeat frame, and a protocol ping whose pong proves the peer is there. */
  heartbeat(): void {
    if (!this.answeredPing) {
      this.socket.terminate();
      return;
    }
    this.answeredPing = false;
    this.socket.ping();
    this.send({ type: 'heartbeat', at: new Date().toISOString() });
  }

  close(): void {
    this.socket.close(1001, 'server shutting down');
  }

  private async receive(data: RawData, isBinary: boolean): Promise<void> {
    const bytes = Array.isArray(data)
      ? data.reduce((sum, part) => sum + part.length, 0)
      : (data as Buffer | ArrayBuffer).byteLength;
    if (isBinary) return this.error('frame_invalid', 'frames are JSON text, not binary');
    if (bytes > MAX_CLIENT_FRAME_BYTES)
      return this.error(
        'frame_too_large',
        `a frame holds at most ${MAX_CLIENT_FRAME_BYTES} bytes; this one had ${bytes}`,
      );
    const wait = this.options.limiter.take(`user:${this.identity.userId}`);
    if (wait > 0)
      return this.error('rate_limited', `too many requests: try again in ${Math.ceil(wait / 1000)} s`);
    let json: unknown;
    try {
      json = JSON.parse(Buffer.isBuffer(data) ? data.toString('utf8') : String(data));
    } catch {
      return this.error('frame_invalid', 'the frame is not JSON');
    }
    const parsed = clientFrameSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue?.path.join('.') ?? '';
      const id = (json as { id?: unknown } | null)?.id;
      return this.error(
        'frame_invalid',
        `${field || 'frame'}: ${issue?.message ?? 'invalid'}`,
        typeof id === 'string' && id.length <= 64 ? id : undefined,
        field || undefined,
      );
    }
    await this.handle(parsed.data);
  }

  private async handle(frame: ClientFrame): Promise<void> {
    const { chat } = this.options;
    const { userId } = this.identity;
    const sessionId = this.sessionId;
    switch (frame.type) {
      case 'ping':
        return this.send({
          type: 'heartbeat',
          at: new Date().toISOString(),
          ...(frame.id ? { id: frame.id } : {}),
        });
      case 'resume':
        return this.resume(frame.after_seq, frame.id);
      case 'user-message': {
        const newSession = this.newSession;
        const started = this.startTurn(frame.id, (listener) =>
          chat.send({ userId, sessionId, newSession, text: frame.text, listener }),
        );
        if (started) this.newSession = false;
        return;
      }
      case 'interrupt-answer':
        this.startTurn(frame.id, (listener) =>
          chat.answer({ userId, sessionId, answer: frame.answer, listener }),
        );
        return;
    }
  }

  /** False when a turn of the session is still running (the client gets `busy`). */
  private startTurn(id: string | undefined, work: Parameters<LiveSessions['start']>[1]): boolean {
    const started = this.options.live.start(this.sessionId, work, {
      ...(id ? { id } : {}),
      onError: (error) => this.fail(error, id),
    });
    if (!started) this.error('busy', 'a turn of this session is still running: wait for its turn-end', id);
    return started;
  }

  /** Replays stored events after `afterSeq`, then the live ones held meanwhile, then carries on live. */
  private async resume(afterSeq: number, id: string | undefined): Promise<void> {
    if (this.held) return this.error('busy', 'a resume is already replaying', id);
    const held: LiveFrame[] = [];
    this.held = held;
    let cursor = afterSeq;
    try {
      for (;;) {
        const page = await this.options.events.listAfter(this.sessionId, cursor, REPLAY_PAGE);
        for (const record of page) {
          cursor = record.seq;
          // Bookkeeping records of the agents (thread-start) are not protocol events.
          const event = agentEventSchema.safeParse(record.payload);
          if (event.success) this.forward({ ...event.data, seq: record.seq, session_id: this.sessionId });
        }
        if (page.length < REPLAY_PAGE) break;
      }
    } finally {
      // Synchronously from here on: nothing can arrive between the held frames and going live.
      this.held = undefined;
      for (const frame of held) if (!('seq' in frame) || frame.seq > afterSeq) this.forward(frame);
    }
    this.send({
      type: 'resume-end',
      session_id: this.sessionId,
      last_seq: Math.max(cursor, this.lastSeq),
      running: this.options.live.isRunning(this.sessionId),
      ...(id ? { id } : {}),
    });
  }

  private deliver(frame: LiveFrame): void {
    if (this.held) this.held.push(frame);
    else this.forward(frame);
  }

  private forward(frame: LiveFrame): void {
    if ('seq' in frame) {
      const event = frame as EventFrame;
      if (this.sent.has(event.seq)) return;
      this.sent.add(event.seq);
      this.lastSeq = Math.max(this.lastSeq, event.seq);
    }
    this.send(frame);
  }

  private fail(error: unknown, id: string | undefined): void {
    if (isCopilotError(error) && ['invalid_input', 'conflict', 'not_found'].includes(error.code)) {
      this.error(error.code as ProtocolErrorCode, error.message, id);
      return;
    }
    this.options.log.error(
      { sessionId: this.sessionId, error: (error as Error).message },
      'websocket request failed',
    );
    this.error('internal', 'the server could not handle this frame; see its log', id);
  }

  private error(code: ProtocolErrorCode, message: string, id?: string, field?: string): void {
    this.send({ type: 'error', code, message, ...(id ? { id } : {}), ...(field ? { field } : {}) });
  }

  private send(frame: ServerFrame): void {
    if (this.socket.readyState !== this.socket.OPEN) return;
    if (this.socket.bufferedAmount > MAX_BUFFERED_BYTES) {
      this.socket.close(1013, 'too far behind: reconnect and resume');
      return;
    }
    this.socket.send(JSON.stringify(frame));
  }
}

export function registerAgentSocket(app: FastifyInstance, options: AgentSocketOptions): void {
  const connections = new Set<AgentConnection>();
  const timer = setInterval(() => {
    for (const connection of connections) connection.heartbeat();
  }, options.heartbeatMs);
  timer.unref();
  app.addHook('onClose', async () => {
    clearInterval(timer);
    for (const connection of connections) connection.close();
  });

  /** Refused before the upgrade: another protocol version, or a session that is not the caller's. */
  const checkUpgrade = async (request: FastifyRequest, reply: FastifyReply) => {
    const query = parseWith(querySchema, request.query, reply);
    if (!query) return reply;
    if (query.protocol_version !== undefined && query.protocol_version !== PROTOCOL_VERSION) {
      return sendError(
        reply,
        400,
        'protocol_unsupported',
        `this server speaks protocol version ${PROTOCOL_VERSION}, not ${query.protocol_version}`,
        'protocol_version',
      );
    }
    if (query.session_id && !(await options.sessions.get(identityOf(request).userId, query.session_id))) {
      return sendError(reply, 404, 'not_found', `session ${query.session_id} not found`);
    }
  };

  app.get(WS_AGENT_PATH, { websocket: true, preValidation: checkUpgrade }, (socket, request) => {
    const named = (request.query as { session_id?: string }).session_id;
    const connection = new AgentConnection(
      socket,
      identityOf(request),
      named ?? randomUUID(),
      named === undefined,
      options,
    );
    connections.add(connection);
    socket.on('close', () => connections.delete(connection));
  });
}
