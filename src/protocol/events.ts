/**
 * Every event the agents emit, as zod schemas shared by the WebSocket, `chat --json` and the UI.
 * Names are noun-then-verb; each stored event carries its session's sequence number.
 */
import { z } from 'zod';

const risk = z.enum(['read', 'write', 'destructive']);

export const planStepSchema = z.strictObject({
  id: z.string(),
  tool: z.string(),
  args: z.record(z.string(), z.unknown()),
  risk,
  description: z.string(),
});

export const previewSchema = z.object({
  summary: z.string(),
  method: z.string(),
  changes: z.array(z.object({ kind: z.string(), resource: z.string(), detail: z.string().optional() })),
  warnings: z.array(z.string()),
});

export const formFieldSchema = z.strictObject({
  name: z.string(),
  label: z.string(),
  description: z.string(),
  kind: z.enum(['text', 'select', 'secret', 'key-value']),
  required: z.boolean(),
  options: z.array(z.string()).optional(),
  value: z.unknown().optional(),
});

export const agentEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('message-delta'), role: z.literal('assistant'), text: z.string() }),
  z.object({ type: z.literal('message-end'), role: z.literal('assistant'), text: z.string() }),
  z.object({ type: z.literal('route-select'), workflow: z.enum(['deploy', 'ecs', 'tool', 'chat']) }),
  z.object({ type: z.literal('node-start'), node: z.string(), agent: z.string() }),
  z.object({
    type: z.literal('node-end'),
    node: z.string(),
    agent: z.string(),
    status: z.enum(['ok', 'error']),
    latency_ms: z.number(),
  }),
  z.object({
    type: z.literal('tool-call-start'),
    call_id: z.string(),
    tool: z.string(),
    args: z.unknown(),
    mode: z.string(),
    agent: z.string(),
  }),
  z.object({
    type: z.literal('tool-call-end'),
    call_id: z.string(),
    tool: z.string(),
    status: z.enum(['ok', 'error']),
    summary: z.string(),
  }),
  z.object({
    type: z.literal('step-start'),
    deployment_id: z.string(),
    step_id: z.string(),
    tool: z.string(),
    index: z.number(),
    total: z.number(),
  }),
  z.object({
    type: z.literal('step-end'),
    deployment_id: z.string(),
    step_id: z.string(),
    status: z.enum(['completed', 'failed', 'skipped', 'compensated', 'compensation-failed']),
    latency_ms: z.number(),
    detail: z.string().optional(),
  }),
  z.object({
    type: z.literal('form-request'),
    form_id: z.string(),
    title: z.string(),
    fields: z.array(formFieldSchema),
  }),
  z.object({ type: z.literal('credential-request'), form_id: z.string(), reason: z.string() }),
  z.object({
    type: z.literal('approval-request'),
    plan_hash: z.string(),
    plan_id: z.string(),
    deployment_id: z.string().optional(),
    steps: z.array(planStepSchema),
    previews: z.array(previewSchema),
    risk,
    summary: z.string(),
  }),
  z.object({
    type: z.literal('compliance-decision'),
    plan_id: z.string(),
    decision: z.enum(['approve', 'veto', 'ask']),
    reason_code: z.string(),
    reason: z.string(),
  }),
  z.object({
    type: z.literal('deployment-end'),
    deployment_id: z.string(),
    status: z.string(),
    url: z.string().optional(),
    summary: z.string(),
  }),
  z.object({ type: z.literal('report-save'), report_id: z.string(), name: z.string() }),
  z.object({ type: z.literal('error'), code: z.string(), message: z.string() }),
]);

export type AgentEvent = z.infer<typeof agentEventSchema>;
export type PlanStep = z.infer<typeof planStepSchema>;
export type FormField = z.infer<typeof formFieldSchema>;

/** What a person sends back to a paused session: a form, an approval, or credentials. */
export const interruptAnswerSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('form'), form_id: z.string(), values: z.record(z.string(), z.unknown()) }),
  z.strictObject({
    kind: z.literal('approval'),
    plan_hash: z.string().regex(/^[0-9a-f]{64}$/),
    decision: z.enum(['approve', 'reject']),
    reason: z.string().max(2000).optional(),
  }),
  z.strictObject({ kind: z.literal('credentials'), form_id: z.string(), stored: z.boolean() }),
]);

export type InterruptAnswer = z.infer<typeof interruptAnswerSchema>;
