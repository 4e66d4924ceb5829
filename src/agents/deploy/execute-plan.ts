/**
 * The deployment saga. Steps run in order; each is journaled before and after, so a restart
 * resumes after the last completed step and never runs one twice. A failure compensates every
 * completed step in reverse order, journaling that too.
 */
import type { Approval } from '../../guardrails/approvals.js';
import { redactor } from '../../guardrails/redaction.js';
import type { JournalEntry } from '../../store/ports.js';
import type { CreatedResource } from '../../tools/define-tool.js';
import type { ToolEnvelope } from '../../tools/envelope.js';
import type { RoleGrant } from '../../tools/runner.js';
import type { Plan } from '../plan.js';
import { ROLES } from '../roles.js';
import type { AgentRuntime, SessionContext } from '../runtime.js';

export interface StepOutcome {
  stepId: string;
  tool: string;
  result?: unknown;
  created: CreatedResource[];
}

export type ExecutionResult =
  | { status: 'completed'; outcomes: StepOutcome[] }
  | {
      status: 'failed';
      failedStep: string;
      error: { code: string; message: string; aws_code?: string };
      rollback: Array<{
        stepId: string;
        status: 'compensated' | 'compensation-failed' | 'irreversible';
        detail: string;
      }>;
    };

function lastEntryByStep(journal: JournalEntry[]): Map<string, JournalEntry> {
  const latest = new Map<string, JournalEntry>();
  for (const entry of journal) latest.set(entry.stepId, entry);
  return latest;
}

export async function executePlan(input: {
  runtime: AgentRuntime;
  session: SessionContext;
  deploymentId: string;
  plan: Plan;
  approval: Approval;
  /** The role whose allow-list the runner checks (default: the deployment executor). */
  role?: RoleGrant;
}): Promise<ExecutionResult> {
  const { runtime, session, deploymentId, plan, approval } = input;
  const { deployments } = runtime.store;
  const done = lastEntryByStep(await deployments.journal(deploymentId));
  const outcomes: StepOutcome[] = [];

  for (const [index, step] of plan.steps.entries()) {
    const previous = done.get(step.id);
    if (previous?.status === 'completed') {
      outcomes.push({ stepId: step.id, tool: step.tool, result: previous.result, created: previous.created });
      await session.emit({
        type: 'step-end',
        deployment_id: deploymentId,
        step_id: step.id,
        status: 'skipped',
        latency_ms: 0,
        detail: 'already completed before a restart',
      });
      continue;
    }
    await session.emit({
      type: 'step-start',
      deployment_id: deploymentId,
      step_id: step.id,
      tool: step.tool,
      index: index + 1,
      total: plan.steps.length,
    });
    await deployments.appendJournal({
      deploymentId,
      stepId: step.id,
      status: 'started',
      tool: step.tool,
      args: redactor.value(step.args),
      created: [],
    });
    const started = Date.now();
    const envelope = await runtime.runner.call({
      tool: step.tool,
      args: step.args,
      role: input.role ?? ROLES.executor,
      approval,
      userId: session.userId,
      correlationId: deploymentId,
    });
    if (envelope.status === 'ok') {
      await deployments.appendJournal({
        deploymentId,
        stepId: step.id,
        status: 'completed',
        tool: step.tool,
        args: redactor.value(step.args),
        result: redactor.value(envelope.result),
        created: envelope.created,
      });
      outcomes.push({ stepId: step.id, tool: step.tool, result: envelope.result, created: envelope.created });
      await session.emit({
        type: 'step-end',
        deployment_id: deploymentId,
        step_id: step.id,
        status: 'completed',
        latency_ms: Date.now() - started,
      });
      continue;
    }
    await deployments.appendJournal({
      deploymentId,
      stepId: step.id,
      status: 'failed',
      tool: step.tool,
      args: redactor.value(step.args),
      created: envelope.created,
      error: envelope.error.message,
    });
    await session.emit({
      type: 'step-end',
      deployment_id: deploymentId,
      step_id: step.id,
      status: 'failed',
      latency_ms: Date.now() - started,
      detail: envelope.error.message,
    });
    const failedOutcome = { stepId: step.id, tool: step.tool, created: envelope.created };
    const rollback = await compensate({ ...input, outcomes: [...outcomes, failedOutcome] });
    return {
      status: 'failed',
      failedStep: step.id,
      error: {
        code: envelope.error.code,
        message: envelope.error.message,
        ...(envelope.error.aws_code ? { aws_code: envelope.error.aws_code } : {}),
      },
      rollback,
    };
  }
  return { status: 'completed', outcomes };
}

/** Undoes completed (and half-completed) steps, newest first, under the plan's approval. */
export async function compensate(input: {
  runtime: AgentRuntime;
  session: SessionContext;
  deploymentId: string;
  plan: Plan;
  approval: Approval;
  outcomes: StepOutcome[];
  role?: RoleGrant;
}): Promise<Extract<ExecutionResult, { status: 'failed' }>['rollback']> {
  const { runtime, session, deploymentId, plan, approval } = input;
  const report: Extract<ExecutionResult, { status: 'failed' }>['rollback'] = [];
  for (const outcome of [...input.outcomes].reverse()) {
    const step = plan.steps.find((candidate) => candidate.id === outcome.stepId);
    if (!step) continue;
    const tool = runtime.runner.registry.get(step.tool);
    if (outcome.result === undefined && outcome.created.length === 0) continue;
    if (tool?.irreversible || !tool?.compensate) {
      report.push({ stepId: step.id, status: 'irreversible', detail: `${step.tool} cannot be undone` });
      continue;
    }
    const started = Date.now();
    const envelope: ToolEnvelope<string> = await runtime.runner.compensate({
      tool: step.tool,
      input: {
        args: step.args,
        ...(outcome.result !== undefined ? { result: outcome.result } : {}),
        created: outcome.created,
      },
      approval,
      role: input.role ?? ROLES.executor,
      userId: session.userId,
      correlationId: deploymentId,
    });
    const status = envelope.status === 'ok' ? 'compensated' : 'compensation-failed';
    const detail = envelope.status === 'ok' ? envelope.result : envelope.error.message;
    await runtime.store.deployments.appendJournal({
      deploymentId,
      stepId: step.id,
      status,
      tool: step.tool,
      args: redactor.value(step.args),
      created: outcome.created,
      ...(status === 'compensation-failed' ? { error: detail } : {}),
    });
    await session.emit({
      type: 'step-end',
      deployment_id: deploymentId,
      step_id: step.id,
      status,
      latency_ms: Date.now() - started,
      detail,
    });
    report.push({ stepId: step.id, status, detail });
  }
  return report;
}
