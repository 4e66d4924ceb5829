/**
 * Where one `aws-copilot tools run` is recorded, as the agents' tool calls are: a session of the
 * store (so `aws-copilot audit --session ID` prints it), its audit records in the store beside the
 * JSON lines file, and the telemetry bus (store, JSON log, OpenTelemetry, the alert webhook) with
 * the run's start, its tool call (latency, error code) and its end under one correlation id.
 */
import { randomUUID } from 'node:crypto';
import type { Settings } from '../config/settings.js';
import type { Store } from '../store/ports.js';
import type { TelemetryBus } from '../telemetry/bus.js';
import { createTelemetry } from '../telemetry/create-telemetry.js';
import { observeGraph, raiseAlert } from '../telemetry/observe.js';
import type { AuditSink } from '../tools/audit.js';
import type { ToolEnvelope } from '../tools/envelope.js';
import { UsageError } from './exit-codes.js';

export interface ToolsRunRecord {
  sessionId: string;
  telemetry: TelemetryBus;
  /** The store's audit trail; absent when the store could not be opened. */
  audit?: AuditSink;
  /**
   * Stores the person's decision on the call under its hash, as the agents store a plan's, so the
   * audit trail names who approved it; a no-op when the store could not be opened.
   */
  recordDecision(input: { planHash: string; approved: boolean; channel: string }): Promise<void>;
  /** Runs the call (and its preview or prompt) in the run's telemetry scope; `undefined` is "not approved". */
  observe(work: () => Promise<ToolEnvelope | undefined>): Promise<ToolEnvelope | undefined>;
  close(): Promise<void>;
}

async function openSessionStore(
  settings: Settings,
  input: { action: string; userId: string; sessionId: string },
): Promise<Store | undefined> {
  let store: Store;
  try {
    // Loaded here: the store drivers are heavy, and only `tools run` of the tools commands needs them.
    const { openStore } = await import('../store/open-store.js');
    store = await openStore(settings);
  } catch (error) {
    // The embedded store is one process's at a time (a running `serve`); the call still runs and is logged.
    process.stderr.write(
      `aws-copilot: the store could not be opened (${(error as Error).message}); this call is logged but will not be in 'aws-copilot audit'\n`,
    );
    return undefined;
  }
  try {
    if (!(await store.sessions.get(input.userId, input.sessionId)))
      await store.sessions.create({
        id: input.sessionId,
        userId: input.userId,
        title: `aws-copilot tools run ${input.action}`,
      });
    await store.sessions.appendTurn(input.userId, {
      sessionId: input.sessionId,
      role: 'user',
      content: `aws-copilot tools run ${input.action}`,
    });
    return store;
  } catch (error) {
    await store.close();
    throw new UsageError(
      `--session ${input.sessionId} cannot be used by ${input.userId} (${(error as Error).message}); leave --session out to start a new session`,
    );
  }
}

function statusOf(envelope: ToolEnvelope | undefined): 'ok' | 'error' | 'denied' {
  if (!envelope) return 'denied';
  if (envelope.status === 'ok') return 'ok';
  return ['approval_required', 'role_denied', 'policy_denied'].includes(envelope.error.code)
    ? 'denied'
    : 'error';
}

export async function openToolsRunRecord(
  settings: Settings,
  input: { action: string; userId: string; sessionId?: string | undefined },
): Promise<ToolsRunRecord> {
  const sessionId = input.sessionId ?? randomUUID();
  const store = await openSessionStore(settings, { ...input, sessionId });
  const telemetry = await createTelemetry({ settings, ...(store ? { telemetry: store.telemetry } : {}) });
  if (store)
    process.stderr.write(
      `session ${sessionId} (its audit trail: aws-copilot audit --session ${sessionId})\n`,
    );
  return {
    sessionId,
    telemetry,
    ...(store ? { audit: store.audit } : {}),
    recordDecision: async ({ planHash, approved, channel }) => {
      await store?.approvals.record({
        id: randomUUID(),
        userId: input.userId,
        sessionId,
        planHash,
        decision: approved ? 'approved' : 'rejected',
        channel,
      });
    },
    observe: async (work) => {
      const observed = await observeGraph(telemetry, {
        sessionId,
        correlationId: `tools-run:${randomUUID()}`,
        workflow: 'tools-run',
      });
      let envelope: ToolEnvelope | undefined;
      try {
        envelope = await observed.run(async () => {
          const answer = await work();
          // A call the policy denies is a compliance block, as a vetoed plan is.
          if (answer?.status === 'error' && answer.error.code === 'policy_denied')
            await raiseAlert(telemetry, 'compliance-block', {
              sessionId,
              summary: `aws-copilot tools run ${input.action} was refused: ${answer.error.message}`,
              attributes: { tool: input.action },
            });
          return answer;
        });
      } catch (error) {
        await observed.fail(error);
        throw error;
      }
      await observed.end(statusOf(envelope), { tool: input.action });
      return envelope;
    },
    close: async () => {
      await telemetry.close();
      await store?.close();
    },
  };
}
