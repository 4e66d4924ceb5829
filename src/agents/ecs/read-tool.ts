/** A read through the runner under one role, shown to the person as tool-call-start / tool-call-end. */
import { randomUUID } from 'node:crypto';
import type { ToolEnvelope } from '../../tools/envelope.js';
import type { RoleGrant } from '../../tools/runner.js';
import type { AgentRuntime, SessionContext } from '../runtime.js';

export async function readTool<R>(
  runtime: AgentRuntime,
  session: SessionContext,
  role: RoleGrant,
  tool: string,
  args: Record<string, unknown>,
): Promise<ToolEnvelope<R>> {
  const callId = randomUUID();
  await session.emit({ type: 'tool-call-start', call_id: callId, tool, args, mode: 'run', agent: role.name });
  const envelope = await runtime.runner.call<R>({
    tool,
    args,
    role,
    userId: session.userId,
    correlationId: session.sessionId,
  });
  await session.emit({
    type: 'tool-call-end',
    call_id: callId,
    tool,
    status: envelope.status,
    summary: envelope.status === 'ok' ? 'ok' : envelope.error.message,
  });
  return envelope;
}

/** The result of a read, or undefined with the failure added to `errors`. */
export async function readOrNote<R>(
  errors: string[],
  ...call: Parameters<typeof readTool>
): Promise<R | undefined> {
  const envelope = await readTool<R>(...call);
  if (envelope.status === 'ok') return envelope.result;
  errors.push(`${call[3]}: ${envelope.error.message}`);
  return undefined;
}
