/**
 * The single-action workflow: "launch a t3.micro with key dev-key", "list my buckets". The model
 * picks one catalog tool and its arguments; code validates them and asks for what is missing;
 * reads run at once; writes are previewed and run only after the person approves that exact call.
 */
import { randomUUID } from 'node:crypto';
import type { BaseMessage } from '@langchain/core/messages';
import { SystemMessage } from '@langchain/core/messages';
import type { BaseCheckpointSaver, LangGraphRunnableConfig } from '@langchain/langgraph';
import { Annotation, END, interrupt, messagesStateReducer, START, StateGraph } from '@langchain/langgraph';
import { type FormField, interruptAnswerSchema } from '../../protocol/events.js';
import type { ToolPreview } from '../../tools/define-tool.js';
import { askText, reviewPlan, vetoText } from '../compliance-review.js';
import { approvalForPlan } from '../deploy/nodes/execute.js';
import { type FormWait, secretFieldsOf } from '../form-secrets.js';
import { lastValue } from '../last-value.js';
import { observedNode } from '../node-runner.js';
import { createPlan, type Plan } from '../plan.js';
import { ROLES } from '../roles.js';
import { runtimeOf, sessionContextOf, sessionModel } from '../runtime.js';
import { say } from '../say.js';
import { coerceFormValue, describeResult, missingArgumentFields, toolSpecs } from './tool-call.js';

const replace = lastValue;

const ToolState = Annotation.Root({
  messages: Annotation<BaseMessage[]>({ reducer: messagesStateReducer, default: () => [] }),
  call: replace<{ tool: string; args: Record<string, unknown> } | undefined>(),
  pending: replace<FormField[] | undefined>(),
  plan: replace<Plan | undefined>(),
  approvedHash: replace<string | undefined>(),
  done: replace<boolean | undefined>(),
});
type State = typeof ToolState.State;
type Update = typeof ToolState.Update;

const PROMPT =
  'You are aws-copilot. Call the one tool that does what the person asks, with the arguments they gave.';

const understand = observedNode(
  'understand',
  'conversation-orchestrator',
  async (state: State, config: LangGraphRunnableConfig): Promise<Update> => {
    const runtime = runtimeOf(config);
    const session = sessionContextOf(config);
    let call = state.call;
    if (!call) {
      const human = state.messages.filter((message) => message.getType() === 'human');
      const model = sessionModel(runtime, session);
      const answer = await model
        .bindTools?.(toolSpecs(runtime.runner.registry.list()))
        ?.invoke([new SystemMessage(PROMPT), ...human], config);
      // A model that found the action but not all its arguments may say so in its metadata (the
      // offline model does): ask for the rest with a form rather than in prose.
      const partial = answer?.response_metadata?.offline as
        | { tool?: string; args?: Record<string, unknown> }
        | undefined;
      const chosen =
        answer?.tool_calls?.[0] ??
        (partial?.tool ? { name: partial.tool, args: partial.args ?? {} } : undefined);
      if (!chosen || !runtime.runner.registry.get(chosen.name)) {
        const text =
          typeof answer?.content === 'string' && answer.content
            ? answer.content
            : 'Which AWS action do you want? Say it with its details, for example "list my EC2 instances in us-east-1".';
        await say(session, text);
        return { done: true };
      }
      call = { tool: chosen.name, args: (chosen.args ?? {}) as Record<string, unknown> };
    }
    const tool = runtime.runner.registry.require(call.tool);
    const pending = missingArgumentFields(tool, call.args);
    return { call, pending: pending.length > 0 ? pending : undefined };
  },
);

const askForm = observedNode(
  'ask-form',
  'requirements-intake',
  async (state: State, config): Promise<Update> => {
    await sessionContextOf(config).emit({
      type: 'form-request',
      form_id: randomUUID(),
      title: `Details for ${state.call?.tool}`,
      fields: state.pending ?? [],
    });
    return {};
  },
);

const awaitForm = observedNode('await-form', 'requirements-intake', async (state: State): Promise<Update> => {
  const pending = state.pending ?? [];
  // Secret fields come back sealed (ChatSessions seals them before resuming the graph).
  const wait: FormWait = {
    type: 'form',
    fields: pending.map((field) => field.name),
    secret_fields: secretFieldsOf(pending),
  };
  const answer = interrupt(wait) as { values?: Record<string, unknown> };
  const values = Object.fromEntries(
    Object.entries(answer?.values ?? {}).map(([name, value]) => [name, coerceFormValue(value)]),
  );
  if (!state.call) return {};
  return { call: { tool: state.call.tool, args: { ...state.call.args, ...values } }, pending: undefined };
});

const runRead = observedNode(
  'run',
  'conversation-orchestrator',
  async (state: State, config): Promise<Update> => {
    const runtime = runtimeOf(config);
    const session = sessionContextOf(config);
    const call = state.call as { tool: string; args: Record<string, unknown> };
    const envelope = await runtime.runner.call({
      tool: call.tool,
      args: call.args,
      role: ROLES.operator,
      userId: session.userId,
      correlationId: session.sessionId,
    });
    await say(
      session,
      envelope.status === 'ok'
        ? describeResult(call.tool, envelope.result)
        : `${call.tool} failed: ${envelope.error.message}`,
    );
    return { done: true };
  },
);

const propose = observedNode(
  'ask-approval',
  'planning-validation',
  async (state: State, config): Promise<Update> => {
    const runtime = runtimeOf(config);
    const session = sessionContextOf(config);
    const call = state.call as { tool: string; args: Record<string, unknown> };
    const tool = runtime.runner.registry.require(call.tool);
    const risk = runtime.runner.riskOf(call.tool, call.args);
    const plan = createPlan(`${call.tool} (${risk})`, [
      { id: 'action', tool: call.tool, args: call.args, risk, description: tool.description },
    ]);
    // One action is a one-step plan: the officer reviews it as any other, target tags included.
    const decision = await reviewPlan({ runtime, session, plan });
    if (decision.decision === 'veto') {
      await say(session, vetoText(decision));
      return { done: true };
    }
    if (decision.decision === 'ask') await say(session, askText(decision));
    const preview = await runtime.runner.call<ToolPreview>({
      tool: call.tool,
      args: call.args,
      mode: 'preview',
      role: ROLES.operator,
      userId: session.userId,
    });
    if (preview.status === 'error') {
      await say(session, `I cannot do that: ${preview.error.message}`);
      return { done: true };
    }
    await session.emit({
      type: 'approval-request',
      plan_hash: plan.hash,
      plan_id: plan.id,
      steps: plan.steps,
      previews: preview.preview ? [preview.preview] : [],
      risk,
      summary: preview.preview?.summary ?? plan.summary,
    });
    return { plan };
  },
);

const awaitApproval = observedNode(
  'await-approval',
  'conversation-orchestrator',
  async (state: State, config): Promise<Update> => {
    const runtime = runtimeOf(config);
    const session = sessionContextOf(config);
    const plan = state.plan as Plan;
    const answer = interruptAnswerSchema.safeParse(interrupt({ type: 'approval', plan_hash: plan.hash }));
    const approved =
      answer.success &&
      answer.data.kind === 'approval' &&
      answer.data.decision === 'approve' &&
      answer.data.plan_hash === plan.hash;
    await runtime.store.approvals.record({
      id: randomUUID(),
      userId: session.userId,
      sessionId: session.sessionId,
      planHash: plan.hash,
      decision: approved ? 'approved' : 'rejected',
      channel: 'chat',
    });
    if (!approved) {
      await say(session, 'Not approved, so nothing was changed.');
      return { done: true };
    }
    return { approvedHash: plan.hash };
  },
);

const execute = observedNode(
  'execute',
  'deployment-executor',
  async (state: State, config): Promise<Update> => {
    const runtime = runtimeOf(config);
    const session = sessionContextOf(config);
    const plan = state.plan as Plan;
    const step = plan.steps[0] as Plan['steps'][number];
    const approval = await approvalForPlan(runtime, session.userId, plan);
    const envelope = await runtime.runner.call({
      tool: step.tool,
      args: step.args,
      role: ROLES.operator,
      approval,
      userId: session.userId,
      correlationId: session.sessionId,
    });
    await say(
      session,
      envelope.status === 'ok'
        ? describeResult(step.tool, envelope.result)
        : `${step.tool} failed: ${envelope.error.message}`,
    );
    return { done: true };
  },
);

function afterUnderstand(
  state: State,
  config: LangGraphRunnableConfig,
): 'ask-form' | 'run' | 'ask-approval' | typeof END {
  if (state.done || !state.call) return END;
  if (state.pending) return 'ask-form';
  return runtimeOf(config).runner.riskOf(state.call.tool, state.call.args) === 'read'
    ? 'run'
    : 'ask-approval';
}

export function buildToolGraph(checkpointer: BaseCheckpointSaver) {
  return new StateGraph(ToolState)
    .addNode('understand', understand)
    .addNode('ask-form', askForm)
    .addNode('await-form', awaitForm)
    .addNode('run', runRead)
    .addNode('ask-approval', propose)
    .addNode('await-approval', awaitApproval)
    .addNode('execute', execute)
    .addEdge(START, 'understand')
    .addConditionalEdges('understand', afterUnderstand, ['ask-form', 'run', 'ask-approval', END])
    .addEdge('ask-form', 'await-form')
    .addEdge('await-form', 'understand')
    .addEdge('run', END)
    .addConditionalEdges('ask-approval', (state: State) => (state.done ? END : 'await-approval'), [
      'await-approval',
      END,
    ])
    .addConditionalEdges('await-approval', (state: State) => (state.approvedHash ? 'execute' : END), [
      'execute',
      END,
    ])
    .addEdge('execute', END)
    .compile({ checkpointer });
}
