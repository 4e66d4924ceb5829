/**
 * Reporter: report_summary.md (outcome, timeline, evidence, the actions with the AWS request ids
 * of the audit trail, verification), the repair record closed, and a short answer to the person.
 */
import { AIMessage } from '@langchain/core/messages';
import type { DeploymentStatus } from '../../../store/ports.js';
import { telemetryFor } from '../../../telemetry/create-telemetry.js';
import { raiseAlert } from '../../../telemetry/observe.js';
import { observedNode } from '../../node-runner.js';
import { type AgentRuntime, runtimeOf, sessionContextOf } from '../../runtime.js';
import { say } from '../../say.js';
import { REPORT_NAMES, saveReport } from '../save-report.js';
import type { EcsOutcome, EcsStateType, EcsUpdate } from '../state.js';
import { moment } from '../state.js';
import { type ActionRecord, renderSummaryReport } from '../summary-report.js';

export const REPORTER = 'ecs-reporter';

const RECORD_STATUS: Partial<Record<EcsOutcome, DeploymentStatus>> = {
  repaired: 'succeeded',
  'verification-failed': 'failed',
  'repair-failed': 'rolled-back',
  rejected: 'failed',
};

function headline(state: EcsStateType, outcome: EcsOutcome): string {
  const summary = state.plan?.summary ?? 'the repair';
  switch (outcome) {
    case 'repaired':
      return `Repaired: ${summary}. Verification passed.`;
    case 'verification-failed':
      return `The change was made (${summary}) but verification failed. ${state.problem ?? ''} The change is kept, since undoing it would bring back what triage found; a person should look at the service.`;
    case 'not-applied':
      return `Writes are off, so I changed nothing. I would: ${summary}. Set ecsAllowWrite (AWS_COPILOT_ECS_ALLOW_WRITE=true) to let me apply it; you would still approve it first.`;
    case 'no-change':
      return state.problem ?? 'Nothing needs changing.';
    default:
      return state.problem ?? 'The workflow stopped.';
  }
}

/** The write actions of the repair, from the audit trail, with the AWS request id of each call. */
async function actionsOf(runtime: AgentRuntime, state: EcsStateType): Promise<ActionRecord[]> {
  if (!state.deploymentId) return [];
  const records = await runtime.store.audit.list({ correlationId: state.deploymentId });
  return records
    .filter((record) => record.mode !== 'preview' && record.risk !== 'read')
    .sort((a, b) => a.at.localeCompare(b.at))
    .map((record) => ({
      step: state.plan?.steps.find((step) => step.tool === record.tool)?.id ?? '-',
      tool: record.tool,
      mode: record.mode,
      args: record.args,
      outcome: record.outcome,
      calls: record.awsCalls.map((call) => ({
        operation: call.operation,
        ...(call.requestId ? { requestId: call.requestId } : {}),
      })),
    }));
}

function reportsWritten(state: EcsStateType): string[] {
  return [
    ...(state.evidence ? [REPORT_NAMES.triage, REPORT_NAMES.plan] : []),
    ...(state.verification ? [REPORT_NAMES.verify] : []),
    REPORT_NAMES.summary,
  ];
}

export const reportNode = observedNode(
  'report',
  REPORTER,
  async (state: EcsStateType, config): Promise<EcsUpdate> => {
    const runtime = runtimeOf(config);
    const session = sessionContextOf(config);
    const outcome: EcsOutcome = state.outcome ?? 'no-change';
    const text = headline(state, outcome);
    const timeline = [...state.timeline, ...moment('report', `Outcome: ${outcome}.`)];
    const actions = await actionsOf(runtime, state);
    const reports = reportsWritten(state);
    await saveReport(
      runtime,
      session,
      REPORT_NAMES.summary,
      renderSummaryReport({
        target: state.target,
        outcome,
        headline: text,
        timeline,
        hypotheses: state.hypotheses ?? [],
        actions,
        verification: state.verification,
        reports,
        deploymentId: state.deploymentId,
      }),
    );
    const status = RECORD_STATUS[outcome];
    if (state.deploymentId && status) {
      await runtime.store.deployments.update(session.userId, state.deploymentId, {
        status,
        // The shape the run metrics read (success rate, dry-run coverage, iterations).
        result: {
          outcome,
          ...(outcome === 'rejected' ? { reason: 'rejected' } : {}),
          attempts: outcome === 'repair-failed' ? 1 : 0,
          dry_run_coverage: state.plan ? (state.previews?.length ?? 0) / state.plan.steps.length : 0,
          checks: state.verification?.checks ?? [],
          actions: actions.length,
        },
      });
      await session.emit({
        type: 'deployment-end',
        deployment_id: state.deploymentId,
        status,
        summary: text,
      });
    }
    // A repair that failed, or that verification found did not work, leaves a service a person must look at.
    if (outcome === 'repair-failed' || outcome === 'verification-failed') {
      const where = state.target
        ? `${state.target.service} (cluster ${state.target.cluster}, ${state.target.region})`
        : 'the service';
      await raiseAlert(telemetryFor(runtime), 'ecs-repair-failure', {
        sessionId: session.sessionId,
        summary: `ECS repair of ${where} ${outcome}: ${text}`,
        attributes: {
          deployment_id: state.deploymentId,
          outcome,
          ...(state.target ? { cluster: state.target.cluster, service: state.target.service } : {}),
        },
      });
    }
    const lead = state.hypotheses?.[0];
    const answer = [
      lead ? `Diagnosis: ${lead.title} (confidence ${lead.confidence}).` : '',
      text,
      `Reports: ${reports.join(', ')}.`,
    ]
      .filter(Boolean)
      .join(' ');
    await say(session, answer);
    return { outcome, timeline: moment('report', `Outcome: ${outcome}.`), messages: [new AIMessage(answer)] };
  },
);
