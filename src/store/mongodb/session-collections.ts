/** Sessions, their transcripts and their protocol events, in MongoDB. */
import type { Collection, Db } from 'mongodb';
import { CopilotError } from '../../errors/copilot-error.js';
import type { EventRecord, EventRepository, SessionRecord, SessionRepository, TurnRecord } from '../ports.js';
import { COLLECTIONS, iso, json, nextSequence } from './documents.js';

interface SessionDocument {
  _id: string;
  userId: string;
  title: string;
  workflow?: SessionRecord['workflow'];
  createdAt: Date;
  updatedAt: Date;
}

interface TurnDocument {
  sessionId: string;
  seq: number;
  role: TurnRecord['role'];
  content: string;
  at: Date;
}

interface EventDocument {
  sessionId: string;
  seq: number;
  type: string;
  payload: unknown;
  /** A BSON date: the TTL index on it enforces retention. */
  at: Date;
}

function toSession(document: SessionDocument): SessionRecord {
  return {
    id: document._id,
    userId: document.userId,
    title: document.title,
    ...(document.workflow ? { workflow: document.workflow } : {}),
    createdAt: iso(document.createdAt),
    updatedAt: iso(document.updatedAt),
  };
}

export class MongoSessionRepository implements SessionRepository {
  private readonly sessions: Collection<SessionDocument>;
  private readonly turns: Collection<TurnDocument>;

  constructor(private readonly db: Db) {
    this.sessions = db.collection(COLLECTIONS.sessions);
    this.turns = db.collection(COLLECTIONS.turns);
  }

  async create(session: { id: string; userId: string; title: string }): Promise<SessionRecord> {
    const now = new Date();
    const document: SessionDocument = {
      _id: session.id,
      userId: session.userId,
      title: session.title,
      createdAt: now,
      updatedAt: now,
    };
    await this.sessions.insertOne(document);
    return toSession(document);
  }

  async get(userId: string, id: string): Promise<SessionRecord | undefined> {
    const document = await this.sessions.findOne({ _id: id, userId });
    return document ? toSession(document) : undefined;
  }

  async list(userId: string, limit = 100): Promise<SessionRecord[]> {
    const documents = await this.sessions
      .find({ userId })
      .sort({ updatedAt: -1, _id: 1 })
      .limit(limit)
      .toArray();
    return documents.map(toSession);
  }

  async setWorkflow(
    userId: string,
    id: string,
    workflow: NonNullable<SessionRecord['workflow']>,
  ): Promise<void> {
    await this.sessions.updateOne({ _id: id, userId }, { $set: { workflow, updatedAt: new Date() } });
  }

  async appendTurn(userId: string, turn: Omit<TurnRecord, 'seq' | 'at'>): Promise<TurnRecord> {
    if (!(await this.get(userId, turn.sessionId)))
      throw new CopilotError('not_found', `session ${turn.sessionId} not found`);
    const seq = await nextSequence(this.db, `turn:${turn.sessionId}`);
    const at = new Date();
    await this.turns.insertOne({
      sessionId: turn.sessionId,
      seq,
      role: turn.role,
      content: turn.content,
      at,
    });
    await this.sessions.updateOne({ _id: turn.sessionId }, { $set: { updatedAt: at } });
    return { ...turn, seq, at: iso(at) };
  }

  async recentTurns(userId: string, sessionId: string, limit = 50): Promise<TurnRecord[]> {
    if (!(await this.get(userId, sessionId))) return [];
    const newestFirst = await this.turns.find({ sessionId }).sort({ seq: -1 }).limit(limit).toArray();
    return newestFirst.reverse().map((document) => ({
      sessionId: document.sessionId,
      seq: document.seq,
      role: document.role,
      content: document.content,
      at: iso(document.at),
    }));
  }
}

export class MongoEventRepository implements EventRepository {
  private readonly events: Collection<EventDocument>;

  constructor(private readonly db: Db) {
    this.events = db.collection(COLLECTIONS.events);
  }

  async append(sessionId: string, type: string, payload: unknown): Promise<EventRecord> {
    const seq = await nextSequence(this.db, `event:${sessionId}`);
    const at = new Date();
    await this.events.insertOne({ sessionId, seq, type, payload: json(payload), at });
    return { sessionId, seq, type, payload, at: iso(at) };
  }

  async listAfter(sessionId: string, afterSeq: number, limit = 10_000): Promise<EventRecord[]> {
    const documents = await this.events
      .find({ sessionId, seq: { $gt: afterSeq } })
      .sort({ seq: 1 })
      .limit(limit)
      .toArray();
    return documents.map((document) => ({
      sessionId: document.sessionId,
      seq: document.seq,
      type: document.type,
      payload: document.payload,
      at: iso(document.at),
    }));
  }
}
