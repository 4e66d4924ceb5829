/**
 * The Compliance & Safety Officer's review of a plan, for every workflow (deploy, ECS repair, one
 * action): the policy with the tags of the resources the plan acts on, the decision recorded and
 * shown, and a veto raised as a critical alert. Only a person lifts a veto, by changing the
 * request or the policy file.
 */
import { randomUUID } from 'node:crypto';
import type { PolicyDecision } from '../guardrails/policy.js';
import { telemetryFor } from '../telemetry/create-telemetry.js';
import { raiseAlert } from '../telemetry/observe.js';
import type { Plan } from './plan.js';
import { ROLES } from './roles.js';
import type { AgentRuntime, SessionContext } from './runtime.js';

export async function reviewPlan(input: {
  runtime: AgentRuntime;
  session: SessionContext;
  plan: Plan;
  /** The deployment or repair record the plan belongs to, when one exists already. */
  deploymentId?: string | undefined;
}): Promise<PolicyDecision> {
  const { runtime, session, plan, deploymentId } = input;
  const decision = await runtime.runner.policyDecision(plan.steps, {
    userId: session.userId,
    interactive: !runtime.nonInteractive,
    role: ROLES.compliance.name,
    ...(deploymentId ? { correlationId: deploymentId } : {}),
  });
  await runtime.store.compliance.record({
    id: randomUUID(),
    sessionId: session.sessionId,
    planId: plan.id,
    agent: ROLES.compliance.name,
    decision: decision.decision,
    reasonCode: decision.reasonCode,
    reason: decision.reason,
    at: new Date().toISOString(),
  });
  await session.emit({
    type: 'compliance-decision',
    plan_id: plan.id,
    decision: decision.decision,
    reason_code: decision.reasonCode,
    reason: decision.reason,
  });
  if (decision.decision === 'veto') {
    await raiseAlert(telemetryFor(runtime), 'compliance-block', {
      sessionId: session.sessionId,
      summary: `The compliance officer blocked plan ${plan.id} (${decision.reasonCode}): ${decision.reason}`,
      attributes: { plan_id: plan.id, reason_code: decision.reasonCode, deployment_id: deploymentId },
    });
  }
  return decision;
}

/** What the person reads when the officer vetoes a plan. */
export function vetoText(decision: Pick<PolicyDecision, 'reasonCode' | 'reason'>): string {
  return `The compliance officer blocked this plan (${decision.reasonCode}): ${decision.reason}. Nothing was changed. A veto ends the run: only a person can lift it, by changing the request or the policy file (setting policyFile), and then asking again.`;
}

/** What the person reads when the officer wants them to look twice before approving. */
export function askText(decision: Pick<PolicyDecision, 'reasonCode' | 'reason'>): string {
  return `The compliance officer asks you to check this plan before approving it (${decision.reasonCode}): ${decision.reason}.`;
}
