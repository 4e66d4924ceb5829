/**
 * The compliance policy: rules over plan steps with deny > ask > allow precedence. When no person
 * can be asked, "ask" means deny. The Compliance & Safety Officer applies it to every plan.
 */
import type { PlanStep } from '../protocol/events.js';

export type PolicyEffect = 'deny' | 'ask' | 'allow';

export interface PolicyRule {
  id: string;
  effect: PolicyEffect;
  reasonCode: string;
  reason: string;
  /** True when the rule applies to this step. */
  matches(step: PlanStep): boolean;
}

export interface PolicyDecision {
  decision: 'approve' | 'veto' | 'ask';
  reasonCode: string;
  reason: string;
  /** Every rule that matched, with the step it matched. */
  matched: Array<{ rule: string; step: string; effect: PolicyEffect }>;
}

const argsText = (step: PlanStep) => JSON.stringify(step.args).toLowerCase();

export const DEFAULT_RULES: PolicyRule[] = [
  {
    id: 'deny-iam-changes',
    effect: 'deny',
    reasonCode: 'IAM_CHANGE',
    reason: 'plans may not create or change IAM users, roles or policies',
    matches: (step) => /^(create|put|attach|delete|update)_(iam|role|user|policy)/.test(step.tool),
  },
  {
    id: 'deny-open-ssh',
    effect: 'deny',
    reasonCode: 'OPEN_SSH',
    reason: 'opening SSH (port 22) to 0.0.0.0/0 is not allowed',
    matches: (step) => /0\.0\.0\.0\/0/.test(argsText(step)) && /\b22\b/.test(argsText(step)),
  },
  {
    id: 'ask-destructive',
    effect: 'ask',
    reasonCode: 'DESTRUCTIVE_STEP',
    reason: 'the plan destroys or scales down existing resources',
    matches: (step) => step.risk === 'destructive',
  },
  {
    id: 'ask-production',
    effect: 'ask',
    reasonCode: 'PRODUCTION_RESOURCE',
    reason: 'the plan touches a resource named or tagged as production',
    matches: (step) => /\bprod(uction)?\b/.test(argsText(step)),
  },
  {
    id: 'allow-catalog',
    effect: 'allow',
    reasonCode: 'CATALOG_TOOL',
    reason: 'every step is a catalog tool with validated arguments',
    matches: () => true,
  },
];

const ORDER: Record<PolicyEffect, number> = { deny: 2, ask: 1, allow: 0 };

export function evaluatePolicy(
  steps: PlanStep[],
  options: { interactive: boolean; rules?: PolicyRule[] },
): PolicyDecision {
  const rules = options.rules ?? DEFAULT_RULES;
  const matched: PolicyDecision['matched'] = [];
  let strongest: { rule: PolicyRule; step: PlanStep } | undefined;
  for (const step of steps) {
    for (const rule of rules) {
      if (!rule.matches(step)) continue;
      matched.push({ rule: rule.id, step: step.id, effect: rule.effect });
      if (!strongest || ORDER[rule.effect] > ORDER[strongest.rule.effect]) strongest = { rule, step };
    }
  }
  if (!strongest || strongest.rule.effect === 'allow') {
    return {
      decision: 'approve',
      reasonCode: 'CATALOG_TOOL',
      reason: 'no rule objects to this plan',
      matched,
    };
  }
  const reason = `step ${strongest.step.id} (${strongest.step.tool}): ${strongest.rule.reason}`;
  if (strongest.rule.effect === 'deny')
    return { decision: 'veto', reasonCode: strongest.rule.reasonCode, reason, matched };
  // Nobody to ask means no.
  if (!options.interactive) {
    return {
      decision: 'veto',
      reasonCode: strongest.rule.reasonCode,
      reason: `${reason}, and no person can be asked`,
      matched,
    };
  }
  return { decision: 'ask', reasonCode: strongest.rule.reasonCode, reason, matched };
}
