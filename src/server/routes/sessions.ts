/**
 * A person's chat sessions: GET /api/sessions, /api/sessions/:id (transcript),
 * /api/sessions/:id/events (the WebSocket's events, for replay over HTTP), /api/sessions/:id/reports
 * and /api/sessions/:id/telemetry. Another user's session answers 404, as if it did not exist.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { agentEventSchema } from '../../protocol/events.js';
import type { EventFrame } from '../../protocol/ws.js';
import type { ReportRecord, SessionRecord, Store, TelemetryEvent, TurnRecord } from '../../store/ports.js';
import { identityOf, parseWith, sendError } from '../http-errors.js';

const idParams = z.object({ id: z.string().min(1).max(128) });
const listQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) });
const eventsQuery = z.object({
  after_seq: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(10_000).default(1000),
});

export function sessionView(session: SessionRecord) {
  const { userId: _owner, ...view } = session;
  return view;
}

export function turnView(turn: TurnRecord) {
  const { sessionId: _session, ...view } = turn;
  return view;
}

export function reportSummary(report: ReportRecord) {
  const { markdown: _body, userId: _owner, ...summary } = report;
  return summary;
}

function telemetryView(event: TelemetryEvent) {
  const { sessionId: _session, correlationId: _correlation, ...view } = event;
  return view;
}

/** The caller's session named in the path, or undefined after answering 400 or 404. */
async function ownSession(
  store: Store,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<SessionRecord | undefined> {
  const params = parseWith(idParams, request.params, reply);
  if (!params) return undefined;
  const session = await store.sessions.get(identityOf(request).userId, params.id);
  if (!session) sendError(reply, 404, 'not_found', `session ${params.id} not found`);
  return session;
}

export function registerSessionRoutes(app: FastifyInstance, store: Store): void {
  app.get('/api/sessions', async (request, reply) => {
    const query = parseWith(listQuery, request.query, reply);
    if (!query) return reply;
    const sessions = await store.sessions.list(identityOf(request).userId, query.limit);
    return { sessions: sessions.map(sessionView) };
  });

  app.get('/api/sessions/:id', async (request, reply) => {
    const session = await ownSession(store, request, reply);
    if (!session) return reply;
    const turns = await store.sessions.recentTurns(session.userId, session.id);
    return { session: sessionView(session), turns: turns.map(turnView) };
  });

  app.get('/api/sessions/:id/events', async (request, reply) => {
    const query = parseWith(eventsQuery, request.query, reply);
    if (!query) return reply;
    const session = await ownSession(store, request, reply);
    if (!session) return reply;
    const records = await store.events.listAfter(session.id, query.after_seq, query.limit);
    const events: EventFrame[] = [];
    for (const record of records) {
      const event = agentEventSchema.safeParse(record.payload);
      if (event.success) events.push({ ...event.data, seq: record.seq, session_id: session.id });
    }
    return { events, lastSeq: records.at(-1)?.seq ?? query.after_seq };
  });

  app.get('/api/sessions/:id/reports', async (request, reply) => {
    const session = await ownSession(store, request, reply);
    if (!session) return reply;
    const reports = await store.reports.listForSession(session.userId, session.id);
    return { reports: reports.map(reportSummary) };
  });

  app.get('/api/sessions/:id/telemetry', async (request, reply) => {
    const query = parseWith(listQuery, request.query, reply);
    if (!query) return reply;
    const session = await ownSession(store, request, reply);
    if (!session) return reply;
    const events = await store.telemetry.list({ sessionId: session.id, limit: query.limit });
    return { events: events.map(telemetryView) };
  });
}
