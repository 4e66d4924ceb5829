/** Credentials (envelopes only), telemetry, audit, compliance decisions and reports, in MongoDB. */
import type { Collection, Db, Filter } from 'mongodb';
import type { AuditRecord } from '../../tools/audit.js';
import type {
  AuditRepository,
  ComplianceDecision,
  ComplianceRepository,
  CredentialRepository,
  ReportRecord,
  ReportRepository,
  StoredCredential,
  TelemetryEvent,
  TelemetryRepository,
} from '../ports.js';
import { COLLECTIONS, date, isDuplicateKey, iso, json } from './documents.js';

interface CredentialDocument extends Omit<StoredCredential, 'createdAt' | 'updatedAt'> {
  createdAt: Date;
  updatedAt: Date;
}

interface TelemetryDocument extends Omit<TelemetryEvent, 'id' | 'at'> {
  _id: string;
  /** A BSON date: the TTL index on it enforces retention. */
  at: Date;
}

interface AuditDocument {
  _id: string;
  userId: string;
  correlationId?: string;
  at: Date;
  record: AuditRecord;
}

interface ComplianceDocument extends Omit<ComplianceDecision, 'id' | 'at'> {
  _id: string;
  at: Date;
}

interface ReportDocument extends Omit<ReportRecord, 'id' | 'at'> {
  _id: string;
  at: Date;
}

function toCredential(document: CredentialDocument): StoredCredential {
  return {
    userId: document.userId,
    name: document.name,
    kind: document.kind,
    envelope: document.envelope,
    keyId: document.keyId,
    masked: document.masked,
    createdAt: iso(document.createdAt),
    updatedAt: iso(document.updatedAt),
  };
}

/** Filters on the fields given, ignoring the absent ones (the SQL adapters' `$1 IS NULL OR ...`). */
function present<T>(fields: Record<string, string | undefined>): Filter<T> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as Filter<T>;
}

export class MongoCredentialRepository implements CredentialRepository {
  private readonly credentials: Collection<CredentialDocument>;

  constructor(db: Db) {
    this.credentials = db.collection(COLLECTIONS.credentials);
  }

  async put(credential: Omit<StoredCredential, 'createdAt' | 'updatedAt'>): Promise<void> {
    const now = new Date();
    const write = () =>
      this.credentials.updateOne(
        { userId: credential.userId, name: credential.name },
        {
          $set: {
            kind: credential.kind,
            envelope: credential.envelope,
            keyId: credential.keyId,
            masked: json(credential.masked) as Record<string, string>,
            updatedAt: now,
          },
          $setOnInsert: { createdAt: now },
        },
        { upsert: true },
      );
    // Two first puts of one name can race to insert; the loser replaces, as the contract says.
    await write().catch((error: unknown) => (isDuplicateKey(error) ? write() : Promise.reject(error)));
  }

  async get(userId: string, name: string): Promise<StoredCredential | undefined> {
    const document = await this.credentials.findOne({ userId, name });
    return document ? toCredential(document) : undefined;
  }

  async list(userId: string): Promise<StoredCredential[]> {
    return (await this.credentials.find({ userId }).sort({ name: 1 }).toArray()).map(toCredential);
  }

  async all(): Promise<StoredCredential[]> {
    return (await this.credentials.find().sort({ userId: 1, name: 1 }).toArray()).map(toCredential);
  }

  async remove(userId: string, name: string): Promise<boolean> {
    return (await this.credentials.deleteOne({ userId, name })).deletedCount > 0;
  }
}

export class MongoTelemetryRepository implements TelemetryRepository {
  private readonly telemetry: Collection<TelemetryDocument>;

  constructor(db: Db) {
    this.telemetry = db.collection(COLLECTIONS.telemetry);
  }

  async append(event: TelemetryEvent): Promise<void> {
    await this.telemetry.insertOne({
      _id: event.id,
      ...(event.sessionId ? { sessionId: event.sessionId } : {}),
      ...(event.correlationId ? { correlationId: event.correlationId } : {}),
      agent: event.agent,
      phase: event.phase,
      status: event.status,
      ...(event.latencyMs !== undefined ? { latencyMs: event.latencyMs } : {}),
      errorCode: event.errorCode ?? null,
      ...(event.attributes ? { attributes: json(event.attributes) as Record<string, unknown> } : {}),
      at: date(event.at),
    });
  }

  async list(filter: {
    sessionId?: string;
    correlationId?: string;
    limit?: number;
  }): Promise<TelemetryEvent[]> {
    const documents = await this.telemetry
      .find(present<TelemetryDocument>({ sessionId: filter.sessionId, correlationId: filter.correlationId }))
      .sort({ at: 1, _id: 1 })
      .limit(filter.limit ?? 10_000)
      .toArray();
    return documents.map((document) => ({
      id: document._id,
      ...(document.sessionId ? { sessionId: document.sessionId } : {}),
      ...(document.correlationId ? { correlationId: document.correlationId } : {}),
      agent: document.agent,
      phase: document.phase,
      status: document.status,
      ...(typeof document.latencyMs === 'number' ? { latencyMs: document.latencyMs } : {}),
      errorCode: document.errorCode ?? null,
      ...(document.attributes ? { attributes: document.attributes } : {}),
      at: iso(document.at),
    }));
  }
}

export class MongoAuditRepository implements AuditRepository {
  private readonly audit: Collection<AuditDocument>;

  constructor(db: Db) {
    this.audit = db.collection(COLLECTIONS.audit);
  }

  async write(record: AuditRecord): Promise<void> {
    await this.audit.insertOne({
      _id: record.id,
      userId: record.userId,
      ...(record.correlationId ? { correlationId: record.correlationId } : {}),
      at: date(record.at),
      record: json(record) as AuditRecord,
    });
  }

  async list(filter: { userId?: string; correlationId?: string; limit?: number }): Promise<AuditRecord[]> {
    const documents = await this.audit
      .find(present<AuditDocument>({ userId: filter.userId, correlationId: filter.correlationId }))
      .sort({ at: 1, _id: 1 })
      .limit(filter.limit ?? 10_000)
      .toArray();
    return documents.map((document) => document.record);
  }
}

export class MongoComplianceRepository implements ComplianceRepository {
  private readonly compliance: Collection<ComplianceDocument>;

  constructor(db: Db) {
    this.compliance = db.collection(COLLECTIONS.compliance);
  }

  async record(decision: ComplianceDecision): Promise<void> {
    await this.compliance.insertOne({
      _id: decision.id,
      sessionId: decision.sessionId,
      planId: decision.planId,
      agent: decision.agent,
      decision: decision.decision,
      reasonCode: decision.reasonCode,
      reason: decision.reason,
      at: date(decision.at),
    });
  }

  async forPlan(planId: string): Promise<ComplianceDecision[]> {
    const documents = await this.compliance.find({ planId }).sort({ at: 1, _id: 1 }).toArray();
    return documents.map((document) => ({
      id: document._id,
      sessionId: document.sessionId,
      planId: document.planId,
      agent: document.agent,
      decision: document.decision,
      reasonCode: document.reasonCode,
      reason: document.reason,
      at: iso(document.at),
    }));
  }
}

function toReport(document: ReportDocument): ReportRecord {
  return {
    id: document._id,
    userId: document.userId,
    sessionId: document.sessionId,
    name: document.name,
    markdown: document.markdown,
    at: iso(document.at),
  };
}

export class MongoReportRepository implements ReportRepository {
  private readonly reports: Collection<ReportDocument>;

  constructor(db: Db) {
    this.reports = db.collection(COLLECTIONS.reports);
  }

  async save(report: ReportRecord): Promise<void> {
    // Saving an existing id replaces its text and time only, as the SQL adapters do.
    await this.reports.updateOne(
      { _id: report.id },
      {
        $set: { markdown: report.markdown, at: date(report.at) },
        $setOnInsert: { userId: report.userId, sessionId: report.sessionId, name: report.name },
      },
      { upsert: true },
    );
  }

  async get(userId: string, id: string): Promise<ReportRecord | undefined> {
    const document = await this.reports.findOne({ _id: id, userId });
    return document ? toReport(document) : undefined;
  }

  async listForSession(userId: string, sessionId: string): Promise<ReportRecord[]> {
    const documents = await this.reports.find({ sessionId, userId }).sort({ at: 1, _id: 1 }).toArray();
    return documents.map(toReport);
  }
}
