/**
 * The policy applied to tool calls with what AWS knows about their targets: before a rule with a
 * tag condition is evaluated, the tags of the existing resources each call acts on (the instance
 * it stops, the service it updates) are read, read-only, with the person's own credentials, each
 * resource once per review. A tag that cannot be read is unknown: it matches nothing, and the
 * decision says so.
 */
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { Settings } from '../config/settings.js';
import { evaluatePolicy, type PolicyDecision, type PolicyRule } from '../guardrails/policy.js';
import { policyRules } from '../guardrails/policy-file.js';
import type { Tag } from '../guardrails/policy-rules.js';
import { redactor } from '../guardrails/redaction.js';
import { parseKeepingSealed } from '../guardrails/sealed-values.js';
import type { PlanStep } from '../protocol/events.js';
import { currentTelemetryScope } from '../telemetry/context.js';
import type { AuditSink } from './audit.js';
import { type AwsCallRecord, type AwsClientFactory, withAwsCallScope } from './aws/clients.js';
import { readResourceTags, targetLabel } from './aws/resource-tags.js';
import { withTimeout } from './call-timeout.js';
import type { ResourceTarget } from './define-tool.js';
import type { ToolRegistry } from './registry.js';

/** The audit trail's name for the tag lookups of a review. */
const TAG_LOOKUP = 'policy_tag_lookup';

/** A review reads at most this many resources; a plan naming more is unusual, and the rest stay unknown. */
const MAX_TARGETS = 20;

export interface PolicyDependencies {
  registry: ToolRegistry;
  aws: AwsClientFactory;
  settings: Pick<Settings, 'policyFile' | 'toolTimeoutMs'>;
  audit: AuditSink;
}

export interface PolicyRequest {
  userId?: string;
  /** False when no person can be asked: then "ask" means deny. */
  interactive: boolean;
  /** The agent role reviewing, for the audit records of the tag lookups. */
  role?: string;
  correlationId?: string;
  signal?: AbortSignal;
}

interface TargetTags {
  tagsOf(step: PlanStep): readonly Tag[];
  /** Resources whose tags could not be read, with why. */
  unknown: string[];
}

function targetsOf(registry: ToolRegistry, step: PlanStep): ResourceTarget[] {
  const tool = registry.get(step.tool);
  if (!tool?.targets) return [];
  const parsed = parseKeepingSealed(tool.input as z.ZodType, step.args ?? {});
  return parsed.success ? tool.targets(parsed.data) : [];
}

const reasonOf = (error: unknown) =>
  (error as { awsCode?: string }).awsCode ?? (error as { code?: string }).code ?? 'error';

/** Reads the tags of every step's targets, each resource once, and audits each step's lookup. */
async function lookupTargetTags(
  deps: PolicyDependencies,
  steps: PlanStep[],
  request: Omit<PolicyRequest, 'interactive'>,
): Promise<TargetTags> {
  const userId = request.userId ?? 'local';
  const aws = deps.aws.forUser(userId);
  const reads = new Map<string, Promise<readonly Tag[]>>();
  const byStep = new Map<string, Tag[]>();
  const unknown: string[] = [];
  const scope = currentTelemetryScope();
  const correlationId = request.correlationId ?? scope?.correlationId ?? undefined;
  for (const step of steps) {
    const targets = targetsOf(deps.registry, step);
    if (targets.length === 0) continue;
    const started = Date.now();
    const calls: AwsCallRecord[] = [];
    const found: Tag[] = [];
    let failed: string | undefined;
    for (const target of targets) {
      const key = JSON.stringify(target);
      if (!reads.has(key) && reads.size >= MAX_TARGETS) {
        unknown.push(`${targetLabel(target)} (more than ${MAX_TARGETS} resources in one review)`);
        continue;
      }
      let read = reads.get(key);
      if (!read) {
        read = withAwsCallScope(
          { userId, calls, ...(request.signal ? { signal: request.signal } : {}) },
          () =>
            withTimeout(deps.settings.toolTimeoutMs, request.signal, (signal) =>
              readResourceTags(aws, target, signal),
            ),
        );
        reads.set(key, read);
      }
      try {
        found.push(...(await read));
      } catch (error) {
        failed ??= reasonOf(error);
        unknown.push(`${targetLabel(target)} (${reasonOf(error)})`);
      }
    }
    byStep.set(step.id, found);
    await deps.audit.write({
      id: randomUUID(),
      at: new Date(started).toISOString(),
      userId,
      // Not the step's own tool: a look at its targets, made for the review of that call.
      tool: TAG_LOOKUP,
      mode: 'preview',
      risk: 'read',
      ...(request.role ? { role: request.role } : {}),
      ...(correlationId ? { correlationId } : {}),
      ...(scope?.sessionId ? { sessionId: scope.sessionId } : {}),
      args: redactor.value({ tool: step.tool, args: step.args }),
      resourceIds: targets.map(targetLabel),
      awsCalls: calls,
      durationMs: Date.now() - started,
      outcome: failed ? 'error' : 'ok',
      ...(failed ? { errorCode: failed } : {}),
    });
  }
  return { tagsOf: (step) => byStep.get(step.id) ?? [], unknown };
}

/** Tag lookups are needed only when a rule in force has a tag condition and some step has targets. */
function needsTags(rules: PolicyRule[], deps: PolicyDependencies, steps: PlanStep[]): boolean {
  return (
    rules.some((rule) => rule.readsTags) &&
    steps.some((step) => Boolean(deps.registry.get(step.tool)?.targets))
  );
}

/** The policy's decision on a plan (or one call as a one-step plan), with its targets' tags. */
export async function policyDecision(
  deps: PolicyDependencies,
  steps: PlanStep[],
  request: PolicyRequest,
): Promise<PolicyDecision> {
  const rules = policyRules(deps.settings.policyFile);
  const lookup = needsTags(rules, deps, steps) ? await lookupTargetTags(deps, steps, request) : undefined;
  const decision = evaluatePolicy(steps, {
    interactive: request.interactive,
    rules,
    iamActionsOf: (tool) => deps.registry.get(tool)?.iam ?? [],
    ...(lookup ? { targetTagsOf: lookup.tagsOf } : {}),
  });
  if (!lookup || lookup.unknown.length === 0) return decision;
  return {
    ...decision,
    reason: `${decision.reason}; the tags of ${lookup.unknown.join(', ')} could not be read, so tag rules did not see them`,
  };
}

/** The deny rule one call breaks, its targets' tags included: what the runner refuses whatever the approval. */
export async function denyingRuleOf(
  deps: PolicyDependencies,
  step: PlanStep,
  request: Omit<PolicyRequest, 'interactive'>,
): Promise<PolicyRule | undefined> {
  const rules = policyRules(deps.settings.policyFile).filter((rule) => rule.effect === 'deny');
  const lookup = needsTags(rules, deps, [step]) ? await lookupTargetTags(deps, [step], request) : undefined;
  const context = {
    iamActionsOf: (tool: string) => deps.registry.get(tool)?.iam ?? [],
    ...(lookup ? { targetTagsOf: lookup.tagsOf } : {}),
  };
  return rules.find((rule) => rule.matches(step, context));
}
