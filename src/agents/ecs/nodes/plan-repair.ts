import { CopilotError } from '../../../errors/copilot-error.js';
import type { ToolPreview } from '../../../tools/define-tool.js';
import { askText, reviewPlan, vetoText } from '../../compliance-review.js';
import { deploymentIdFor } from '../../deployment-id.js';
import { observedNode } from '../../node-runner.js';
import type { Plan } from '../../plan.js';
import { ROLES } from '../../roles.js';
import { type AgentRuntime, runtimeOf, type SessionContext, sessionContextOf } from '../../runtime.js';
import { say } from '../../say.js';
import { type PlanStatus, renderPlanReport } from '../plan-report.js';
import { draftRepair } from '../repair-plan.js';
import { REPORT_NAMES, saveReport } from '../save-report.js';
import { type EcsStateType, type EcsUpdate, moment } from '../state.js';

async function previewSteps(
  runtime: AgentRuntime,
  session: SessionContext,
  plan: Plan,
): Promise<{ previews: ToolPreview[]; failures: string[] }> {
  const previews: ToolPreview[] = [];
  const failures: string[] = [];
  for (const step of plan.steps) {
    const envelope = await runtime.runner.call<ToolPreview>({
      tool: step.tool,
      args: step.args,
      mode: 'preview',
      role: ROLES.ecsChangePlanner,
      userId: session.userId,
      correlationId: session.sessionId,
    });
    if (envelope.status === 'error') failures.push(`${step.id} (${step.tool}): ${envelope.error.message}`);
    else if (envelope.preview) previews.push(envelope.preview);
  }
  return { previews, failures };
}

export const planRepairNode = observedNode(
  'plan-repair',
  ROLES.ecsChangePlanner.name,
  async (state: EcsStateType, config): Promise<EcsUpdate> => {
    const runtime = runtimeOf(config);
    const session = sessionContextOf(config);
    const { evidence, hypotheses = [], target } = state;
    if (!evidence || !target) throw new CopilotError('internal', 'repair planning without triage');
    const draft = draftRepair(evidence, hypotheses, runtime.runner);
    const { plan } = draft;
    const { previews, failures } = plan
      ? await previewSteps(runtime, session, plan)
      : { previews: [], failures: [] };
    // The officer reviews only a plan that could go to approval.
    const decision =
      plan && failures.length === 0 && runtime.settings.ecsAllowWrite
        ? await reviewPlan({ runtime, session, plan })
        : undefined;
    let status: PlanStatus;
    let update: EcsUpdate;
    if (!plan) {
      status = { kind: 'no-change' };
      update = { outcome: 'no-change', problem: draft.rationale };
    } else if (failures.length > 0) {
      const problem = `The preview found problems, so nothing was changed and no approval is asked:\n- ${failures.join('\n- ')}`;
      status = { kind: 'preview-failed', problem };
      update = { outcome: 'preview-failed', problem };
    } else if (!runtime.settings.ecsAllowWrite) {
      status = { kind: 'writes-off' };
      update = {
        outcome: 'not-applied',
        problem: `Writes are off, so I changed nothing. I would: ${plan.summary}.`,
      };
    } else if (decision?.decision === 'veto') {
      const problem = vetoText(decision);
      status = { kind: 'vetoed', problem };
      update = { outcome: 'vetoed', problem };
    } else {
      // "ask": the policy wants a person to look at this repair in particular; the approval is that look.
      if (decision?.decision === 'ask') await say(session, askText(decision));
      status = { kind: 'awaiting-approval' };
      const deploymentId = deploymentIdFor(config);
      // Named after the thread: a second run of this turn (after a crash) replaces its record.
      if (await runtime.store.deployments.get(session.userId, deploymentId))
        await runtime.store.deployments.update(session.userId, deploymentId, {
          status: 'planning',
          planHash: plan.hash,
        });
      else
        await runtime.store.deployments.create({
          id: deploymentId,
          userId: session.userId,
          sessionId: session.sessionId,
          status: 'planning',
          target: 'ecs-repair',
          region: target.region,
          planHash: plan.hash,
          plan: {
            summary: plan.summary,
            steps: plan.steps.map((step) => ({
              id: step.id,
              tool: step.tool,
              description: step.description,
            })),
          },
        });
      update = { deploymentId, approvedHash: undefined };
    }
    await saveReport(
      runtime,
      session,
      REPORT_NAMES.plan,
      renderPlanReport({
        target,
        lead: hypotheses[0],
        plan,
        previews,
        rationale: draft.rationale,
        successCriteria: draft.successCriteria,
        status,
        at: new Date().toISOString(),
      }),
    );
    return {
      ...update,
      ...(plan ? { plan } : {}),
      previews,
      rationale: draft.rationale,
      successCriteria: draft.successCriteria,
      timeline: moment(
        'plan-repair',
        plan ? `Plan: ${plan.summary} (${status.kind}).` : `No change: ${draft.rationale}`,
      ),
    };
  },
);
