/** Deployments with their journals, and approval decisions, in MongoDB. */
import type { Collection, Db } from 'mongodb';
import { CopilotError } from '../../errors/copilot-error.js';
import type {
  ApprovalRecord,
  ApprovalRepository,
  DeploymentRecord,
  DeploymentRepository,
  JournalEntry,
} from '../ports.js';
import { COLLECTIONS, iso, json, nextSequence } from './documents.js';

type Updatable = 'status' | 'planHash' | 'plan' | 'result' | 'url';

export interface DeploymentDocument {
  _id: string;
  userId: string;
  sessionId: string;
  status: DeploymentRecord['status'];
  target: string;
  region: string;
  repoUrlHash?: string;
  planHash?: string;
  plan?: unknown;
  result?: unknown;
  url?: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface JournalDocument {
  deploymentId: string;
  /** Order within the deployment, from the `journal:<id>` counter. */
  seq: number;
  stepId: string;
  status: JournalEntry['status'];
  tool: string;
  args: unknown;
  result: unknown;
  created: JournalEntry['created'];
  error?: string;
  at: Date;
}

interface ApprovalDocument extends Omit<ApprovalRecord, 'id' | 'at'> {
  _id: string;
  at: Date;
}

function toDeployment(document: DeploymentDocument): DeploymentRecord {
  const record: DeploymentRecord = {
    id: document._id,
    userId: document.userId,
    sessionId: document.sessionId,
    status: document.status,
    target: document.target,
    region: document.region,
    createdAt: iso(document.createdAt),
    updatedAt: iso(document.updatedAt),
  };
  if (document.repoUrlHash) record.repoUrlHash = document.repoUrlHash;
  if (document.planHash) record.planHash = document.planHash;
  if (document.plan !== null && document.plan !== undefined) record.plan = document.plan;
  if (document.result !== null && document.result !== undefined) record.result = document.result;
  if (document.url) record.url = document.url;
  return record;
}

function toJournalEntry(document: JournalDocument): JournalEntry {
  return {
    deploymentId: document.deploymentId,
    stepId: document.stepId,
    status: document.status,
    tool: document.tool,
    args: document.args,
    ...(document.result !== null && document.result !== undefined ? { result: document.result } : {}),
    created: document.created ?? [],
    ...(document.error ? { error: document.error } : {}),
    at: iso(document.at),
  };
}

export class MongoDeploymentRepository implements DeploymentRepository {
  private readonly deployments: Collection<DeploymentDocument>;
  private readonly entries: Collection<JournalDocument>;

  constructor(private readonly db: Db) {
    this.deployments = db.collection(COLLECTIONS.deployments);
    this.entries = db.collection(COLLECTIONS.journal);
  }

  async create(record: Omit<DeploymentRecord, 'createdAt' | 'updatedAt'>): Promise<DeploymentRecord> {
    const now = new Date();
    const document: DeploymentDocument = {
      _id: record.id,
      userId: record.userId,
      sessionId: record.sessionId,
      status: record.status,
      target: record.target,
      region: record.region,
      ...(record.repoUrlHash ? { repoUrlHash: record.repoUrlHash } : {}),
      ...(record.planHash ? { planHash: record.planHash } : {}),
      plan: json(record.plan),
      result: json(record.result),
      ...(record.url ? { url: record.url } : {}),
      createdAt: now,
      updatedAt: now,
    };
    await this.deployments.insertOne(document);
    return toDeployment(document);
  }

  async update(
    userId: string,
    id: string,
    changes: Partial<Pick<DeploymentRecord, Updatable>>,
  ): Promise<DeploymentRecord> {
    const set: Partial<DeploymentDocument> = { updatedAt: new Date() };
    if (changes.status !== undefined) set.status = changes.status;
    if (changes.planHash !== undefined) set.planHash = changes.planHash;
    if (changes.plan !== undefined) set.plan = json(changes.plan);
    if (changes.result !== undefined) set.result = json(changes.result);
    if (changes.url !== undefined) set.url = changes.url;
    const document = await this.deployments.findOneAndUpdate(
      { _id: id, userId },
      { $set: set },
      { returnDocument: 'after' },
    );
    if (!document) throw new CopilotError('not_found', `deployment ${id} not found`);
    return toDeployment(document);
  }

  async get(userId: string, id: string): Promise<DeploymentRecord | undefined> {
    const document = await this.deployments.findOne({ _id: id, userId });
    return document ? toDeployment(document) : undefined;
  }

  async list(userId: string, limit = 100): Promise<DeploymentRecord[]> {
    const documents = await this.deployments
      .find({ userId })
      .sort({ createdAt: -1, _id: 1 })
      .limit(limit)
      .toArray();
    return documents.map(toDeployment);
  }

  async appendJournal(entry: Omit<JournalEntry, 'at'>): Promise<JournalEntry> {
    const seq = await nextSequence(this.db, `journal:${entry.deploymentId}`);
    const at = new Date();
    await this.entries.insertOne({
      deploymentId: entry.deploymentId,
      seq,
      stepId: entry.stepId,
      status: entry.status,
      tool: entry.tool,
      args: json(entry.args),
      result: json(entry.result),
      created: json(entry.created) as JournalEntry['created'],
      ...(entry.error ? { error: entry.error } : {}),
      at,
    });
    return { ...entry, at: iso(at) };
  }

  async journal(deploymentId: string): Promise<JournalEntry[]> {
    const documents = await this.entries.find({ deploymentId }).sort({ seq: 1 }).toArray();
    return documents.map(toJournalEntry);
  }
}

export class MongoApprovalRepository implements ApprovalRepository {
  private readonly approvals: Collection<ApprovalDocument>;

  constructor(db: Db) {
    this.approvals = db.collection(COLLECTIONS.approvals);
  }

  async record(approval: Omit<ApprovalRecord, 'at'>): Promise<ApprovalRecord> {
    const at = new Date();
    await this.approvals.insertOne({
      _id: approval.id,
      userId: approval.userId,
      sessionId: approval.sessionId,
      planHash: approval.planHash,
      decision: approval.decision,
      channel: approval.channel,
      ...(approval.reason ? { reason: approval.reason } : {}),
      at,
    });
    return { ...approval, at: iso(at) };
  }

  async forPlan(planHash: string): Promise<ApprovalRecord[]> {
    const documents = await this.approvals.find({ planHash }).sort({ at: 1, _id: 1 }).toArray();
    return documents.map((document) => ({
      id: document._id,
      userId: document.userId,
      sessionId: document.sessionId,
      planHash: document.planHash,
      decision: document.decision,
      channel: document.channel,
      ...(document.reason ? { reason: document.reason } : {}),
      at: iso(document.at),
    }));
  }
}
