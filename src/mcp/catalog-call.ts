/**
 * One catalog call from an MCP client, always through the tool runner. Reads run as they are. A
 * call that changes things runs only when writes are enabled and the person, asked through
 * elicitation with the call's preview, accepts; then the ledger approves exactly that call. Every
 * refusal is still handed to the runner, which refuses it for want of an approval and audits it.
 */
import type { ApprovalLedger } from '../guardrails/approvals.js';
import type { ToolEnvelope } from '../tools/envelope.js';
import type { ToolCallRequest, ToolRunner } from '../tools/runner.js';
import { describeCall, REFUSALS } from './approval-messages.js';
import type { AskPerson } from './ask-person.js';

export interface CatalogCallContext {
  runner: ToolRunner;
  approvals: ApprovalLedger;
  writesAllowed: boolean;
  userId: string;
  correlationId: string;
  signal: AbortSignal;
  /** Undefined when the client cannot ask its person: then "ask" means no. */
  ask: AskPerson | undefined;
  onProgress?: (message: string) => void;
}

/** The runner's own refusal (audited as denied), with a message that says why and what to do. */
function refused(envelope: ToolEnvelope, message: string): ToolEnvelope {
  if (envelope.status !== 'error' || envelope.error.code !== 'approval_required') return envelope;
  return { ...envelope, error: { ...envelope.error, message } };
}

export async function callCatalogTool(
  name: string,
  args: unknown,
  context: CatalogCallContext,
): Promise<ToolEnvelope> {
  const { runner, userId } = context;
  const request: ToolCallRequest = {
    tool: name,
    args,
    userId,
    correlationId: context.correlationId,
    signal: context.signal,
    ...(context.onProgress ? { onProgress: context.onProgress } : {}),
  };
  const tool = runner.registry.get(name);
  // Unknown tools and reads: the runner answers (and audits) them as for any caller.
  if (!tool || runner.riskOf(name, args) === 'read') return runner.call(request);
  const parsed = tool.input.safeParse(args ?? {});
  if (!parsed.success) return runner.call(request);
  const risk = runner.riskOf(name, args);
  const what = `${name} (${risk})`;
  if (!context.writesAllowed) return refused(await runner.call(request), REFUSALS.writesOff(what));
  // The policy on this one call, with the tags of what it acts on. Its "ask" is a person's look:
  // without elicitation nobody can look, so the call is refused, naming the rule.
  const decision = await runner.policyDecision(
    [
      {
        id: 'call',
        tool: name,
        args: parsed.data as Record<string, unknown>,
        risk,
        description: tool.description,
      },
    ],
    { userId, interactive: true, correlationId: context.correlationId, signal: context.signal },
  );
  if (decision.decision === 'veto')
    return refused(await runner.call(request), REFUSALS.policy(what, decision));
  if (!context.ask)
    return refused(
      await runner.call(request),
      REFUSALS.cannotAsk(what, decision.decision === 'ask' ? decision : undefined),
    );

  const preview = await runner.call({ ...request, mode: 'preview' });
  if (preview.status === 'error') return preview;
  const answer = await context.ask(
    describeCall({
      tool: name,
      risk,
      irreversible: Boolean(tool.irreversible),
      args: parsed.data,
      preview: preview.preview,
      ...(decision.decision === 'ask' ? { policy: decision } : {}),
    }),
  );
  if (answer !== 'accept') return refused(await runner.call(request), REFUSALS.declined(what, answer));
  // The approval names the validated call (defaults filled in), exactly as the runner will see it.
  const approval = context.approvals.grant({
    grantedBy: userId,
    channel: 'mcp-elicitation',
    calls: [{ tool: name, args: parsed.data }],
  });
  return runner.call({ ...request, approval });
}
