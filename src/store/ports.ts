/**
 * The store's ports: what aws-copilot keeps and the promises each repository makes. No driver is
 * imported here; the PGlite, PostgreSQL and MongoDB adapters implement these and pass one
 * conformance suite (src/store/conformance/).
 */
import type { BaseCheckpointSaver } from '@langchain/langgraph-checkpoint';
import type { AuditRecord, AuditSink } from '../tools/audit.js';
import type { CreatedResource } from '../tools/define-tool.js';

export interface SessionRecord {
  id: string;
  userId: string;
  title: string;
  /** The workflow the router chose last, if any. */
  workflow?: 'deploy' | 'ecs' | 'tool' | 'chat';
  createdAt: string;
  updatedAt: string;
}

export interface TurnRecord {
  sessionId: string;
  seq: number;
  role: 'user' | 'assistant' | 'tool' | 'system';
  /** Already redacted by the caller. */
  content: string;
  at: string;
}

export interface SessionRepository {
  /** Creates a session owned by `userId`; ids are the caller's (UUIDs). */
  create(session: { id: string; userId: string; title: string }): Promise<SessionRecord>;
  /** A session only when it belongs to `userId`; other users' sessions do not exist for them. */
  get(userId: string, id: string): Promise<SessionRecord | undefined>;
  /** The user's sessions, most recently updated first. */
  list(userId: string, limit?: number): Promise<SessionRecord[]>;
  setWorkflow(userId: string, id: string, workflow: NonNullable<SessionRecord['workflow']>): Promise<void>;
  /** Appends a turn and returns it with its sequence number (1, 2, ... per session). */
  appendTurn(userId: string, turn: Omit<TurnRecord, 'seq' | 'at'>): Promise<TurnRecord>;
  /** The last `limit` turns (short-term memory; default 50), oldest first. */
  recentTurns(userId: string, sessionId: string, limit?: number): Promise<TurnRecord[]>;
}

export interface EventRecord {
  sessionId: string;
  /** Strictly increasing per session, from 1; clients resume from the last one they saw. */
  seq: number;
  type: string;
  payload: unknown;
  at: string;
}

export interface EventRepository {
  /** Stores a protocol event and assigns the next sequence number of its session. */
  append(sessionId: string, type: string, payload: unknown): Promise<EventRecord>;
  /** Events with seq > afterSeq, in order. */
  listAfter(sessionId: string, afterSeq: number, limit?: number): Promise<EventRecord[]>;
}

export type DeploymentStatus =
  | 'planning'
  | 'awaiting-approval'
  | 'running'
  | 'succeeded'
  | 'failed'
  | 'rolled-back'
  | 'escalated';

export interface DeploymentRecord {
  id: string;
  userId: string;
  sessionId: string;
  status: DeploymentStatus;
  target: string;
  region: string;
  /** SHA-256 of the repository URL: history without the URL itself. */
  repoUrlHash?: string;
  planHash?: string;
  /** Redacted plan and outcome, as shown to the person. */
  plan?: unknown;
  result?: unknown;
  url?: string;
  createdAt: string;
  updatedAt: string;
}

export type JournalStatus = 'started' | 'completed' | 'failed' | 'compensated' | 'compensation-failed';

export interface JournalEntry {
  deploymentId: string;
  stepId: string;
  status: JournalStatus;
  tool: string;
  /** Redacted arguments. */
  args: unknown;
  result?: unknown;
  created: CreatedResource[];
  error?: string;
  at: string;
}

export interface DeploymentRepository {
  create(record: Omit<DeploymentRecord, 'createdAt' | 'updatedAt'>): Promise<DeploymentRecord>;
  update(
    userId: string,
    id: string,
    changes: Partial<Pick<DeploymentRecord, 'status' | 'planHash' | 'plan' | 'result' | 'url'>>,
  ): Promise<DeploymentRecord>;
  get(userId: string, id: string): Promise<DeploymentRecord | undefined>;
  /** The user's deployments, newest first. */
  list(userId: string, limit?: number): Promise<DeploymentRecord[]>;
  /** Appends to the journal; entries of one deployment keep their order. */
  appendJournal(entry: Omit<JournalEntry, 'at'>): Promise<JournalEntry>;
  journal(deploymentId: string): Promise<JournalEntry[]>;
}

export interface ApprovalRecord {
  id: string;
  userId: string;
  sessionId: string;
  planHash: string;
  decision: 'approved' | 'rejected';
  channel: string;
  reason?: string;
  at: string;
}

export interface ApprovalRepository {
  record(approval: Omit<ApprovalRecord, 'at'>): Promise<ApprovalRecord>;
  /** Decisions on one plan hash, oldest first. */
  forPlan(planHash: string): Promise<ApprovalRecord[]>;
}

export interface StoredCredential {
  userId: string;
  name: string;
  /**
   * AWS credentials, or `sealed-value`: a secret typed into a form (named `sealed:<uuid>`), kept
   * here so master-key rotation covers it; retention purges it by its creation date.
   */
  kind: 'access-key' | 'assume-role' | 'sealed-value';
  /** The vault's envelope; never the clear secret. */
  envelope: string;
  /** Key id of the master key that wrapped the data key. */
  keyId: string;
  /** Masked identifiers safe to show, e.g. `AKIA…WXYZ`. */
  masked: Record<string, string>;
  createdAt: string;
  updatedAt: string;
}

export interface CredentialRepository {
  /** Inserts or replaces the user's credential of that name. */
  put(credential: Omit<StoredCredential, 'createdAt' | 'updatedAt'>): Promise<void>;
  get(userId: string, name: string): Promise<StoredCredential | undefined>;
  list(userId: string): Promise<StoredCredential[]>;
  /** Every credential of every user (for master-key rotation only). */
  all(): Promise<StoredCredential[]>;
  remove(userId: string, name: string): Promise<boolean>;
}

export interface TelemetryEvent {
  id: string;
  sessionId?: string;
  correlationId?: string;
  agent: string;
  phase: string;
  status: string;
  latencyMs?: number;
  errorCode?: string | null;
  attributes?: Record<string, unknown>;
  at: string;
}

export interface TelemetryRepository {
  append(event: TelemetryEvent): Promise<void>;
  list(filter: { sessionId?: string; correlationId?: string; limit?: number }): Promise<TelemetryEvent[]>;
}

export interface AuditRepository extends AuditSink {
  list(filter: { userId?: string; correlationId?: string; limit?: number }): Promise<AuditRecord[]>;
}

export interface ComplianceDecision {
  id: string;
  sessionId: string;
  planId: string;
  agent: string;
  decision: 'approve' | 'veto' | 'ask';
  reasonCode: string;
  reason: string;
  at: string;
}

export interface ComplianceRepository {
  record(decision: ComplianceDecision): Promise<void>;
  forPlan(planId: string): Promise<ComplianceDecision[]>;
}

export interface ReportRecord {
  id: string;
  userId: string;
  sessionId: string;
  /** e.g. `triage_report.md`. */
  name: string;
  markdown: string;
  at: string;
}

export interface ReportRepository {
  save(report: ReportRecord): Promise<void>;
  get(userId: string, id: string): Promise<ReportRecord | undefined>;
  listForSession(userId: string, sessionId: string): Promise<ReportRecord[]>;
}

export interface VectorDocument {
  id: string;
  /** Sanitized text: never anything holding a secret. */
  text: string;
  tags: string[];
  embedding: number[];
  at: string;
}

export interface VectorMatch extends VectorDocument {
  /** Cosine similarity, 1 is identical. */
  score: number;
}

export interface VectorRepository {
  /** Embedding length this store was created with. */
  readonly dimensions: number;
  upsert(document: VectorDocument): Promise<void>;
  /** Nearest documents by cosine similarity, optionally only those carrying every tag given. */
  query(embedding: number[], options?: { topK?: number; tags?: string[] }): Promise<VectorMatch[]>;
}

export interface UserRecord {
  id: string;
  /** Unique: the login name, or the identity a trusted proxy sends. */
  name: string;
  /** Self-describing scrypt hash; absent for people known only through a trusted proxy header. */
  passwordHash?: string;
  createdAt: string;
  updatedAt: string;
}

export interface LoginRecord {
  /** SHA-256 of the session cookie; the cookie itself is never stored. */
  tokenHash: string;
  userId: string;
  expiresAt: string;
  createdAt: string;
}

/** Accounts (multi-user mode) and browser logins of `aws-copilot serve`. */
export interface UserRepository {
  /** Creates an account; a name already taken is refused with `conflict`. */
  create(user: { id: string; name: string; passwordHash?: string }): Promise<UserRecord>;
  get(id: string): Promise<UserRecord | undefined>;
  findByName(name: string): Promise<UserRecord | undefined>;
  /** Every account, by name. */
  list(): Promise<UserRecord[]>;
  /** False when there is no such account. */
  setPassword(id: string, passwordHash: string): Promise<boolean>;
  /** Deletes the account and its logins; what the person owns (sessions, deployments) stays. */
  remove(id: string): Promise<boolean>;
  /** Records a login; expired logins of every user are deleted on the way. */
  createLogin(login: Omit<LoginRecord, 'createdAt'>): Promise<void>;
  /** A login only until it expires. */
  getLogin(tokenHash: string): Promise<LoginRecord | undefined>;
  removeLogin(tokenHash: string): Promise<void>;
}

export interface PurgeResult {
  telemetry: number;
  audit: number;
  deployments: number;
  events: number;
  /** Sealed form values created before the cutoff (credentials themselves never expire). */
  sealedValues: number;
}

export interface Store {
  /** Adapter name: `pglite`, `postgres` or `mongodb`. */
  readonly kind: string;
  readonly sessions: SessionRepository;
  readonly events: EventRepository;
  readonly deployments: DeploymentRepository;
  readonly approvals: ApprovalRepository;
  readonly credentials: CredentialRepository;
  readonly telemetry: TelemetryRepository;
  readonly audit: AuditRepository;
  readonly compliance: ComplianceRepository;
  readonly reports: ReportRepository;
  readonly vectors: VectorRepository;
  readonly users: UserRepository;
  /** LangGraph checkpoints in the same database, so graphs resume after a restart. */
  readonly checkpointer: BaseCheckpointSaver;
  /** Deletes request logs, deployment history and sealed form values older than `before` (retention). */
  purge(before: Date): Promise<PurgeResult>;
  /** Schema version this database is at. */
  schemaVersion(): Promise<number>;
  close(): Promise<void>;
}
