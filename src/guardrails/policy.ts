/**
 * The compliance policy: rules over plan steps with deny > ask > allow precedence. When no person
 * can be asked, "ask" means deny. The Compliance & Safety Officer applies it to every plan, and
 * the tool runner applies its deny rules to every call.
 */
import type { PlanStep } from '../protocol/events.js';
import {
  compileRule,
  type PolicyContext,
  type PolicyEffect,
  type PolicyRule,
  type RuleSpec,
  type Tag,
} from './policy-rules.js';

export type { PolicyContext, PolicyEffect, PolicyRule, RuleSpec, Tag };

export interface PolicyDecision {
  decision: 'approve' | 'veto' | 'ask';
  reasonCode: string;
  reason: string;
  /** Every rule that matched, with the step it matched. */
  matched: Array<{ rule: string; step: string; effect: PolicyEffect }>;
}

/** A production environment, named or tagged: `shop-prod`, `production`, `Environment=prod`. */
const PRODUCTION = '(^|[^a-z0-9])prod(uction)?([^a-z0-9]|$)';

/** The built-in rules, as data in the policy file's own format; a file's rule with the same id replaces one. */
export const DEFAULT_RULE_SPECS: RuleSpec[] = [
  {
    id: 'deny-iam-changes',
    effect: 'deny',
    reason_code: 'IAM_CHANGE',
    reason: 'plans may not create or change IAM users, roles or policies',
    match: { tool: '{create,put,attach,detach,delete,update}_{iam,role,user,policy,group}*' },
  },
  {
    id: 'deny-iam-actions',
    effect: 'deny',
    reason_code: 'IAM_CHANGE',
    reason: 'plans may not run tools that change IAM users, roles or policies',
    match: {
      iam_action: [
        'iam:{Create,Put,Attach,Detach,Delete,Update,Add,Remove,Set}*',
        'iam:{Tag,Untag}{Role,User,Policy}',
      ],
    },
  },
  {
    id: 'deny-open-ssh',
    effect: 'deny',
    reason_code: 'OPEN_SSH',
    reason: 'opening SSH (port 22) to 0.0.0.0/0 is not allowed',
    match: { ingress: { port: 22, cidr: ['0.0.0.0/0', '::/0'] } },
  },
  {
    id: 'ask-destructive',
    effect: 'ask',
    reason_code: 'DESTRUCTIVE_STEP',
    reason: 'the plan destroys or scales down existing resources',
    match: { risk: ['destructive'] },
  },
  {
    id: 'ask-production',
    effect: 'ask',
    reason_code: 'PRODUCTION_RESOURCE',
    reason: 'the plan touches a resource named or tagged as production',
    match: { risk: ['write', 'destructive'], resource_name: PRODUCTION },
  },
  {
    id: 'ask-production-tag',
    effect: 'ask',
    reason_code: 'PRODUCTION_RESOURCE',
    reason: 'the plan touches a resource named or tagged as production',
    match: { risk: ['write', 'destructive'], tags: { 'environment|env|stage': 'prod(uction)?' } },
  },
  {
    id: 'allow-reads',
    effect: 'allow',
    reason_code: 'READ_ONLY',
    reason: 'reading changes nothing',
    match: { risk: ['read'] },
  },
  {
    id: 'allow-catalog',
    effect: 'allow',
    reason_code: 'CATALOG_TOOL',
    reason: 'every step is a catalog tool with validated arguments, run only with the approval of its plan',
    match: {},
  },
];

export const DEFAULT_RULES: PolicyRule[] = DEFAULT_RULE_SPECS.map(compileRule);

const ORDER: Record<PolicyEffect, number> = { deny: 2, ask: 1, allow: 0 };

export interface PolicyOptions extends PolicyContext {
  /** False when nobody can be asked (non-interactive runs, MCP clients without elicitation). */
  interactive: boolean;
  /** The rules in force (default: the built-in ones); see `policyRules` for a policy file's. */
  rules?: PolicyRule[];
}

export function evaluatePolicy(steps: PlanStep[], options: PolicyOptions): PolicyDecision {
  const rules = options.rules ?? DEFAULT_RULES;
  const matched: PolicyDecision['matched'] = [];
  let strongest: { rule: PolicyRule; step: PlanStep } | undefined;
  for (const step of steps) {
    for (const rule of rules) {
      if (!rule.matches(step, options)) continue;
      matched.push({ rule: rule.id, step: step.id, effect: rule.effect });
      if (!strongest || ORDER[rule.effect] > ORDER[strongest.rule.effect]) strongest = { rule, step };
    }
  }
  if (!strongest || strongest.rule.effect === 'allow') {
    return {
      decision: 'approve',
      reasonCode: strongest?.rule.reasonCode ?? 'CATALOG_TOOL',
      reason: 'no rule objects to this plan',
      matched,
    };
  }
  const reason = `step ${strongest.step.id} (${strongest.step.tool}): ${strongest.rule.reason} (rule ${strongest.rule.id})`;
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

/** The deny rule a single call breaks, if any: what the tool runner refuses whatever approval comes with it. */
export function denyingRule(
  step: PlanStep,
  options: PolicyContext & { rules?: PolicyRule[] },
): PolicyRule | undefined {
  return (options.rules ?? DEFAULT_RULES).find(
    (rule) => rule.effect === 'deny' && rule.matches(step, options),
  );
}
