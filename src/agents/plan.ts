/** A plan: ordered tool calls with a content hash. An approval names the hash; a changed plan needs a new one. */
import { createHash, randomUUID } from 'node:crypto';
import { canonicalJson } from '../guardrails/approvals.js';
import type { PlanStep } from '../protocol/events.js';
import type { Risk } from '../tools/define-tool.js';

export interface Plan {
  id: string;
  /** What the plan is for, in one line. */
  summary: string;
  steps: PlanStep[];
  /** SHA-256 of the steps (tools and arguments, in order): what a person approves. */
  hash: string;
}

export function hashSteps(steps: PlanStep[]): string {
  return createHash('sha256')
    .update(canonicalJson(steps.map((step) => ({ id: step.id, tool: step.tool, args: step.args }))))
    .digest('hex');
}

export function createPlan(summary: string, steps: PlanStep[]): Plan {
  return { id: randomUUID(), summary, steps, hash: hashSteps(steps) };
}

const RANK: Record<Risk, number> = { read: 0, write: 1, destructive: 2 };

/** The highest risk of any step. */
export function planRisk(plan: Pick<Plan, 'steps'>): Risk {
  return plan.steps.reduce<Risk>(
    (worst, step) => (RANK[step.risk] > RANK[worst] ? step.risk : worst),
    'read',
  );
}
