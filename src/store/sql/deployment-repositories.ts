/** Deployments with their journals, and approval decisions, in SQL. */
import { CopilotError } from '../../errors/copilot-error.js';
import type {
  ApprovalRecord,
  ApprovalRepository,
  DeploymentRecord,
  DeploymentRepository,
  JournalEntry,
} from '../ports.js';
import type { SqlPool } from './pool.js';
import { iso, json, optional } from './rows.js';

interface DeploymentRow {
  id: string;
  user_id: string;
  session_id: string;
  status: DeploymentRecord['status'];
  target: string;
  region: string;
  repo_url_hash: string | null;
  plan_hash: string | null;
  plan: unknown;
  result: unknown;
  url: string | null;
  created_at: Date | string;
  updated_at: Date | string;
}

function toDeployment(row: DeploymentRow): DeploymentRecord {
  const record: DeploymentRecord = {
    id: row.id,
    userId: row.user_id,
    sessionId: row.session_id,
    status: row.status,
    target: row.target,
    region: row.region,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
  const repoUrlHash = optional(row.repo_url_hash);
  const planHash = optional(row.plan_hash);
  const url = optional(row.url);
  if (repoUrlHash) record.repoUrlHash = repoUrlHash;
  if (planHash) record.planHash = planHash;
  if (row.plan !== null && row.plan !== undefined) record.plan = row.plan;
  if (row.result !== null && row.result !== undefined) record.result = row.result;
  if (url) record.url = url;
  return record;
}

const UPDATABLE = {
  status: 'status',
  planHash: 'plan_hash',
  plan: 'plan',
  result: 'result',
  url: 'url',
} as const;

export class SqlDeploymentRepository implements DeploymentRepository {
  constructor(private readonly pool: SqlPool) {}

  async create(record: Omit<DeploymentRecord, 'createdAt' | 'updatedAt'>): Promise<DeploymentRecord> {
    const result = await this.pool.query<DeploymentRow>(
      `INSERT INTO deployments (id, user_id, session_id, status, target, region, repo_url_hash, plan_hash, plan, result,
        url, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, now(), now()) RETURNING *`,
      [
        record.id,
        record.userId,
        record.sessionId,
        record.status,
        record.target,
        record.region,
        record.repoUrlHash ?? null,
        record.planHash ?? null,
        json(record.plan),
        json(record.result),
        record.url ?? null,
      ],
    );
    return toDeployment(result.rows[0] as DeploymentRow);
  }

  async update(
    userId: string,
    id: string,
    changes: Partial<Pick<DeploymentRecord, 'status' | 'planHash' | 'plan' | 'result' | 'url'>>,
  ): Promise<DeploymentRecord> {
    const assignments: string[] = ['updated_at = now()'];
    const params: unknown[] = [id, userId];
    for (const [key, column] of Object.entries(UPDATABLE)) {
      const value = changes[key as keyof typeof changes];
      if (value === undefined) continue;
      params.push(column === 'plan' || column === 'result' ? json(value) : value);
      assignments.push(`${column} = $${params.length}`);
    }
    const result = await this.pool.query<DeploymentRow>(
      `UPDATE deployments SET ${assignments.join(', ')} WHERE id = $1 AND user_id = $2 RETURNING *`,
      params,
    );
    if (!result.rows[0]) throw new CopilotError('not_found', `deployment ${id} not found`);
    return toDeployment(result.rows[0]);
  }

  async get(userId: string, id: string): Promise<DeploymentRecord | undefined> {
    const result = await this.pool.query<DeploymentRow>(
      'SELECT * FROM deployments WHERE id = $1 AND user_id = $2',
      [id, userId],
    );
    return result.rows[0] ? toDeployment(result.rows[0]) : undefined;
  }

  async list(userId: string, limit = 100): Promise<DeploymentRecord[]> {
    const result = await this.pool.query<DeploymentRow>(
      'SELECT * FROM deployments WHERE user_id = $1 ORDER BY created_at DESC, id LIMIT $2',
      [userId, limit],
    );
    return result.rows.map(toDeployment);
  }

  async appendJournal(entry: Omit<JournalEntry, 'at'>): Promise<JournalEntry> {
    const result = await this.pool.query<{ at: Date | string }>(
      `INSERT INTO journal (deployment_id, step_id, status, tool, args, result, created, error, at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, now()) RETURNING at`,
      [
        entry.deploymentId,
        entry.stepId,
        entry.status,
        entry.tool,
        json(entry.args),
        json(entry.result),
        JSON.stringify(entry.created),
        entry.error ?? null,
      ],
    );
    return { ...entry, at: iso(result.rows[0]?.at) };
  }

  async journal(deploymentId: string): Promise<JournalEntry[]> {
    const result = await this.pool.query<{
      deployment_id: string;
      step_id: string;
      status: JournalEntry['status'];
      tool: string;
      args: unknown;
      result: unknown;
      created: JournalEntry['created'];
      error: string | null;
      at: Date;
    }>('SELECT * FROM journal WHERE deployment_id = $1 ORDER BY id', [deploymentId]);
    return result.rows.map((row) => ({
      deploymentId: row.deployment_id,
      stepId: row.step_id,
      status: row.status,
      tool: row.tool,
      args: row.args,
      ...(row.result !== null && row.result !== undefined ? { result: row.result } : {}),
      created: row.created ?? [],
      ...(row.error ? { error: row.error } : {}),
      at: iso(row.at),
    }));
  }
}

export class SqlApprovalRepository implements ApprovalRepository {
  constructor(private readonly pool: SqlPool) {}

  async record(approval: Omit<ApprovalRecord, 'at'>): Promise<ApprovalRecord> {
    const result = await this.pool.query<{ at: Date | string }>(
      `INSERT INTO approvals (id, user_id, session_id, plan_hash, decision, channel, reason, at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, now()) RETURNING at`,
      [
        approval.id,
        approval.userId,
        approval.sessionId,
        approval.planHash,
        approval.decision,
        approval.channel,
        approval.reason ?? null,
      ],
    );
    return { ...approval, at: iso(result.rows[0]?.at) };
  }

  async forPlan(planHash: string): Promise<ApprovalRecord[]> {
    const result = await this.pool.query<{
      id: string;
      user_id: string;
      session_id: string;
      plan_hash: string;
      decision: ApprovalRecord['decision'];
      channel: string;
      reason: string | null;
      at: Date;
    }>('SELECT * FROM approvals WHERE plan_hash = $1 ORDER BY at, id', [planHash]);
    return result.rows.map((row) => ({
      id: row.id,
      userId: row.user_id,
      sessionId: row.session_id,
      planHash: row.plan_hash,
      decision: row.decision,
      channel: row.channel,
      ...(row.reason ? { reason: row.reason } : {}),
      at: iso(row.at),
    }));
  }
}
