/**
 * The deploy and ECS workflows as MCP tools: each call runs one ChatSessions turn and returns its
 * summary and what it waits for. Approving a plan is a person's act: answer_approval with
 * "approve" needs writes enabled and the person's accept through elicitation, shown the plan.
 */
import type { CallToolResult, Tool, ToolAnnotations } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { ChatSessions, TurnResult } from '../agents/chat-session.js';
import { isCopilotError } from '../errors/copilot-error.js';
import type { AgentEvent } from '../protocol/events.js';
import type { Store } from '../store/ports.js';
import { describePlan, REFUSALS } from './approval-messages.js';
import type { AskPerson } from './ask-person.js';
import { errorResult, invalidInputResult, jsonResult } from './results.js';
import { objectInputSchema } from './tool-listing.js';
import { progressLine, summarizeTurn } from './turn-summary.js';

/** What the workflow tools run on: the sessions and the store they keep their state in. */
export interface WorkflowHost {
  sessions: ChatSessions;
  /**
   * The same workflows for a client that cannot ask its person (no elicitation): non-interactive,
   * so a plan the policy would have a person check is vetoed instead.
   */
  unattended: ChatSessions;
  store: Store;
}

export interface WorkflowCallContext {
  /** Opened on first use: the embedded store belongs to one process at a time. */
  host: () => Promise<WorkflowHost>;
  userId: string;
  writesAllowed: boolean;
  ask: AskPerson | undefined;
  onProgress?: (message: string) => void;
}

const sessionId = z.string().min(1).max(200).describe('the session_id a previous workflow call returned');
const request = z.string().min(1).max(4000);

const inputs = {
  start_deployment: z.strictObject({
    request: request.describe(
      'what to deploy, in words: "deploy ./shop to us-east-1 on lambda with role arn:aws:iam::123456789012:role/app"',
    ),
  }),
  start_ecs_diagnosis: z.strictObject({
    request: request.describe(
      'what is wrong, in words: "the api service in cluster shop-prod keeps crashing since this morning"',
    ),
  }),
  send_message: z.strictObject({ session_id: sessionId, message: request }),
  answer_form: z.strictObject({
    session_id: sessionId,
    form_id: z.string().min(1).describe('form_id of the form the session waits for'),
    values: z.record(z.string(), z.unknown()).describe('field name -> value'),
  }),
  answer_approval: z.strictObject({
    session_id: sessionId,
    plan_hash: z
      .string()
      .regex(/^[0-9a-f]{64}$/)
      .describe('plan_hash of the plan the session waits for'),
    decision: z.enum(['approve', 'reject']),
    reason: z.string().max(2000).optional(),
  }),
  get_report: z.strictObject({ report_id: z.string().min(1).max(200) }),
} as const;

type WorkflowToolName = keyof typeof inputs;

const turnHints: ToolAnnotations = { readOnlyHint: false, destructiveHint: false, idempotentHint: false };

const definitions: Record<
  WorkflowToolName,
  { title: string; description: string; annotations: ToolAnnotations }
> = {
  start_deployment: {
    title: 'Start a deployment',
    description:
      'Start the deploy workflow: it asks for what is missing, previews every step and waits for approval before changing anything. Returns the session_id, the messages, and what the workflow waits for.',
    annotations: turnHints,
  },
  start_ecs_diagnosis: {
    title: 'Diagnose an ECS service',
    description:
      'Start the ECS workflow: read-only triage of a service, then a minimal repair plan that waits for approval; reports are kept (get_report). Returns the session_id and what it waits for.',
    annotations: turnHints,
  },
  send_message: {
    title: 'Send a message to a session',
    description:
      'Say more in a workflow session (extra details, or "continue" after storing credentials); returns the turn summary.',
    annotations: turnHints,
  },
  answer_form: {
    title: 'Answer a form',
    description: 'Answer the form a session waits for with the values the person gave.',
    annotations: turnHints,
  },
  answer_approval: {
    title: 'Approve or reject a plan',
    description:
      'Answer the approval a session waits for. "approve" runs the plan only after the person accepts it in your client (elicitation) and only when writes are enabled; "reject" closes it without changes.',
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false },
  },
  get_report: {
    title: 'Get a report',
    description:
      'The markdown of a report a workflow saved (triage, repair plan, verification, summary), by report_id.',
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true },
  },
};

export const WORKFLOW_TOOL_NAMES = Object.keys(inputs) as WorkflowToolName[];

export function isWorkflowTool(name: string): name is WorkflowToolName {
  return Object.hasOwn(inputs, name);
}

export function workflowTools(): Tool[] {
  return WORKFLOW_TOOL_NAMES.map((name) => {
    const { title, description, annotations } = definitions[name];
    return {
      name,
      title,
      description,
      inputSchema: objectInputSchema(inputs[name]),
      annotations: { title, ...annotations },
    };
  });
}

async function runTurn(
  context: WorkflowCallContext,
  turn: (listener: (event: AgentEvent) => void, sessions: ChatSessions) => Promise<TurnResult>,
): Promise<CallToolResult> {
  const host = await context.host();
  // Nobody to ask means "ask" is no: the policy runs non-interactive for this client.
  const sessions = context.ask ? host.sessions : host.unattended;
  const events: AgentEvent[] = [];
  const result = await turn((event) => {
    events.push(event);
    const line = progressLine(event);
    if (line) context.onProgress?.(line);
  }, sessions);
  return jsonResult(summarizeTurn(result, events));
}

async function answerApproval(
  input: z.infer<(typeof inputs)['answer_approval']>,
  context: WorkflowCallContext,
): Promise<CallToolResult> {
  const { userId } = context;
  const reject = (reason: string | undefined) =>
    runTurn(context, (listener, sessions) =>
      sessions.answer({
        userId,
        sessionId: input.session_id,
        answer: {
          kind: 'approval',
          plan_hash: input.plan_hash,
          decision: 'reject',
          ...(reason ? { reason } : {}),
        },
        listener,
      }),
    );
  if (input.decision === 'reject') return reject(input.reason);
  const what = 'Approving this plan';
  if (!context.writesAllowed) return errorResult('approval_required', REFUSALS.writesOff(what));
  if (!context.ask) return errorResult('approval_required', REFUSALS.cannotAsk(what));

  const { store } = await context.host();
  if (!(await store.sessions.get(userId, input.session_id)))
    return errorResult('not_found', `session ${input.session_id} not found`, 'session_id');
  const events = await store.events.listAfter(input.session_id, 0);
  const shown = events
    .map((event) => event.payload as AgentEvent)
    .filter(
      (event): event is Extract<AgentEvent, { type: 'approval-request' }> =>
        event?.type === 'approval-request' && event.plan_hash === input.plan_hash,
    )
    .at(-1);
  if (!shown)
    return errorResult(
      'not_found',
      `no plan with hash ${input.plan_hash} was shown in session ${input.session_id}`,
      'plan_hash',
    );
  const answer = await context.ask(describePlan(shown));
  if (answer === 'decline') return reject('declined by the person in the MCP client');
  if (answer === 'cancel')
    return errorResult(
      'approval_required',
      `${REFUSALS.declined('The plan', 'cancel')} It still waits for an answer.`,
    );
  return runTurn(context, (listener, sessions) =>
    sessions.answer({
      userId,
      sessionId: input.session_id,
      answer: { kind: 'approval', plan_hash: input.plan_hash, decision: 'approve' },
      listener,
    }),
  );
}

type Handlers = {
  [K in WorkflowToolName]: (
    input: z.infer<(typeof inputs)[K]>,
    context: WorkflowCallContext,
  ) => Promise<CallToolResult>;
};

const startTurn = (input: { request: string }, context: WorkflowCallContext) =>
  runTurn(context, (listener, sessions) =>
    sessions.send({ userId: context.userId, text: input.request, listener }),
  );

const handlers: Handlers = {
  start_deployment: startTurn,
  start_ecs_diagnosis: startTurn,
  send_message: async (input, context) => {
    // A mistyped id must not quietly open a new session.
    const { store } = await context.host();
    if (!(await store.sessions.get(context.userId, input.session_id)))
      return errorResult('not_found', `session ${input.session_id} not found`, 'session_id');
    return runTurn(context, (listener, sessions) =>
      sessions.send({ userId: context.userId, sessionId: input.session_id, text: input.message, listener }),
    );
  },
  answer_form: (input, context) =>
    runTurn(context, (listener, sessions) =>
      sessions.answer({
        userId: context.userId,
        sessionId: input.session_id,
        answer: { kind: 'form', form_id: input.form_id, values: input.values },
        listener,
      }),
    ),
  answer_approval: answerApproval,
  get_report: async (input, context) => {
    const { store } = await context.host();
    const report = await store.reports.get(context.userId, input.report_id);
    if (!report) return errorResult('not_found', `report ${input.report_id} not found`, 'report_id');
    return jsonResult({
      report_id: report.id,
      name: report.name,
      session_id: report.sessionId,
      at: report.at,
      markdown: report.markdown,
    });
  },
};

/** Runs one workflow tool; bad arguments and workflow errors come back as error results, never throws. */
export async function callWorkflowTool(
  name: WorkflowToolName,
  args: unknown,
  context: WorkflowCallContext,
): Promise<CallToolResult> {
  const parsed = inputs[name].safeParse(args ?? {});
  if (!parsed.success) return invalidInputResult(name, parsed.error);
  try {
    const handler = handlers[name] as (
      input: unknown,
      context: WorkflowCallContext,
    ) => Promise<CallToolResult>;
    return await handler(parsed.data, context);
  } catch (error) {
    if (isCopilotError(error)) return errorResult(error.code, error.message);
    return errorResult('internal', (error as Error).message);
  }
}
