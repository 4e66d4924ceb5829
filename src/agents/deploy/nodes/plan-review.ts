/**
 * Plan, compliance review and dry run. The plan is drafted in code from the request; the
 * Compliance & Safety Officer applies the policy and records its decision; every step is
 * previewed through the runner (the planner may preview, never run). A failed preview stops
 * the plan before anyone is asked to approve it.
 */
import { createHash } from 'node:crypto';
import { CopilotError } from '../../../errors/copilot-error.js';
import type { ToolPreview } from '../../../tools/define-tool.js';
import { type Clock, RateLimiter } from '../../../tools/rate-limiter.js';
import { reviewPlan, vetoText } from '../../compliance-review.js';
import { deploymentIdFor } from '../../deployment-id.js';
import { observedNode } from '../../node-runner.js';
import { ROLES } from '../../roles.js';
import { runtimeOf, sessionContextOf } from '../../runtime.js';
import { draftPlan } from '../draft-plan.js';
import { withEarlierCreations } from '../plan-warnings.js';
import type { DeployStateType, DeployUpdate } from '../state.js';

/** Spec limit: 4 planning cycles per minute per user, process-wide. */
/** Spec limit: at most this many planning cycles per minute per user. */
export const PLANNING_CYCLES_PER_MINUTE = 4;

export function createPlanningLimiter(clock?: Clock): RateLimiter {
  return new RateLimiter(PLANNING_CYCLES_PER_MINUTE / 60, PLANNING_CYCLES_PER_MINUTE, clock);
}

/** Process-wide, so every session of a person shares the allowance. */
const planningCycles = createPlanningLimiter();

export const planNode = observedNode(
  'plan',
  'planning-validation',
  async (state: DeployStateType, config): Promise<DeployUpdate> => {
    const runtime = runtimeOf(config);
    const session = sessionContextOf(config);
    await (runtime.planningLimiter ?? planningCycles).acquire(session.userId, config.signal);
    const request = state.request as Parameters<typeof draftPlan>[0]['request'];
    const plan = draftPlan({
      request,
      projectDir: state.projectDir as string,
      account: state.account ?? '000000000000',
      runner: runtime.runner,
    });
    const deploymentId = state.deploymentId ?? deploymentIdFor(config);
    if (!(await runtime.store.deployments.get(session.userId, deploymentId))) {
      await runtime.store.deployments.create({
        id: deploymentId,
        userId: session.userId,
        sessionId: session.sessionId,
        status: 'planning',
        target: request.target,
        region: request.region,
        repoUrlHash: createHash('sha256').update(request.repo).digest('hex'),
        planHash: plan.hash,
        plan: {
          summary: plan.summary,
          steps: plan.steps.map((step) => ({ id: step.id, tool: step.tool, description: step.description })),
        },
      });
    } else {
      await runtime.store.deployments.update(session.userId, deploymentId, {
        status: 'planning',
        planHash: plan.hash,
      });
    }
    // From here on, model calls of this session count toward this deployment's tokens.
    runtime.budgetFor?.(session.sessionId)?.setDeployment(deploymentId);
    return { plan, deploymentId, previews: undefined, approvedHash: undefined, compliance: undefined };
  },
);

export const complianceNode = observedNode(
  'compliance',
  'compliance-officer',
  async (state: DeployStateType, config): Promise<DeployUpdate> => {
    const plan = state.plan;
    if (!plan) throw new CopilotError('internal', 'compliance review without a plan');
    const decision = await reviewPlan({
      runtime: runtimeOf(config),
      session: sessionContextOf(config),
      plan,
      deploymentId: state.deploymentId,
    });
    if (decision.decision === 'veto')
      return { compliance: decision, outcome: 'vetoed', problem: vetoText(decision) };
    return { compliance: decision };
  },
);

export const dryRunNode = observedNode(
  'dry-run',
  'planning-validation',
  async (state: DeployStateType, config): Promise<DeployUpdate> => {
    const runtime = runtimeOf(config);
    const { userId } = sessionContextOf(config);
    const plan = state.plan;
    if (!plan) throw new CopilotError('internal', 'dry run without a plan');
    const previewed: Array<{ id: string; preview: ToolPreview }> = [];
    const failures: string[] = [];
    for (const step of plan.steps) {
      const envelope = await runtime.runner.call<ToolPreview>({
        tool: step.tool,
        args: step.args,
        mode: 'preview',
        role: ROLES.planner,
        userId,
        correlationId: state.deploymentId,
      });
      if (envelope.status === 'error') failures.push(`${step.id} (${step.tool}): ${envelope.error.message}`);
      else if (envelope.preview) previewed.push({ id: step.id, preview: envelope.preview });
    }
    const previews = withEarlierCreations(previewed);
    if (failures.length > 0) {
      return {
        previews,
        outcome: 'failed',
        problem: `The dry run found problems, so nothing was changed and no approval is asked:\n- ${failures.join('\n- ')}`,
      };
    }
    return { previews };
  },
);
