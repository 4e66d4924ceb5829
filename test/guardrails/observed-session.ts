/**
 * The whole product on the offline model and the sandbox, with every sink observable: a store
 * (PGlite by default, or PostgreSQL or MongoDB) whose raw tables can be read, pino log lines
 * captured, telemetry events recorded, and every request that leaves for the model recorded
 * after the managed model prepared it.
 */
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { CallbackManagerForLLMRun } from '@langchain/core/callbacks/manager';
import type { BaseMessage } from '@langchain/core/messages';
import type { ChatGenerationChunk, ChatResult } from '@langchain/core/outputs';
import { ChatSessions, type TurnResult } from '../../src/agents/chat-session.js';
import type { AgentRuntime } from '../../src/agents/runtime.js';
import { ManagedChatModel } from '../../src/models/managed-chat-model.js';
import { OfflineChatModel } from '../../src/models/offline/offline-chat-model.js';
import type { Store } from '../../src/store/ports.js';
import { CredentialVault } from '../../src/store/vault/credential-vault.js';
import { LocalMasterKey } from '../../src/store/vault/master-key.js';
import { TelemetryBus, type TelemetrySink } from '../../src/telemetry/bus.js';
import type { TelemetryRecord } from '../../src/telemetry/events.js';
import { createLogger } from '../../src/telemetry/logger.js';
import { LogTelemetrySink } from '../../src/telemetry/sinks/log-sink.js';
import { StoreTelemetrySink } from '../../src/telemetry/sinks/store-sink.js';
import type { AuditRecord } from '../../src/tools/audit.js';
import { createCatalog } from '../../src/tools/catalog.js';
import { ToolRunner } from '../../src/tools/runner.js';
import { git, makeShopRepo } from '../github/repo-fixtures.js';
import type { RecordedEvent } from '../helpers/agent-harness.js';
import { createToolHarness, type HarnessOptions, type ToolHarness } from '../helpers/tool-harness.js';
import { openObservedStore, type StoreKind } from './observed-store.js';

/** The offline model, recording each request exactly as it reached the provider. */
export class RecordingOfflineModel extends OfflineChatModel {
  readonly requests: string[] = [];

  private record(messages: BaseMessage[]): void {
    this.requests.push(
      JSON.stringify(messages.map((message) => ({ type: message.getType(), content: message.content }))),
    );
  }

  override async _generate(messages: BaseMessage[], options: this['ParsedCallOptions']): Promise<ChatResult> {
    this.record(messages);
    return super._generate(messages, options);
  }

  override async *_streamResponseChunks(
    messages: BaseMessage[],
    options: this['ParsedCallOptions'],
    runManager?: CallbackManagerForLLMRun,
  ): AsyncGenerator<ChatGenerationChunk> {
    this.record(messages);
    yield* super._streamResponseChunks(messages, options, runManager);
  }
}

/** Keeps every event the bus delivers. */
export class RecordingSink implements TelemetrySink {
  readonly name = 'recording';
  readonly events: TelemetryRecord[] = [];
  handle(event: TelemetryRecord): void {
    this.events.push(event);
  }
}

export interface ObservedSession {
  tools: ToolHarness;
  store: Store;
  /** The vault sealing form secrets and opening them for the runner, as the product wires it. */
  vault: CredentialVault;
  runtime: AgentRuntime;
  sessions: ChatSessions;
  model: RecordingOfflineModel;
  telemetry: RecordingSink;
  bus: TelemetryBus;
  /** Every pino line written by the runner, the model and the telemetry log sink. */
  logLines: string[];
  events: RecordedEvent[];
  audit: AuditRecord[];
  userId: string;
  send(text: string, options?: { sessionId?: string; secrets?: string[] }): Promise<TurnResult>;
  answer(sessionId: string, answer: unknown): Promise<TurnResult>;
  last<T extends RecordedEvent['type']>(type: T): Extract<RecordedEvent, { type: T }>;
  /** Every row of every table (document of every collection) of the store, as text, binary values decoded. */
  dumpStore(): Promise<Record<string, string>>;
  close(): Promise<void>;
}

export async function openObservedSession(
  options: HarnessOptions & { sinks?: TelemetrySink[]; nonInteractive?: boolean; store?: StoreKind } = {},
): Promise<ObservedSession> {
  const observed = await openObservedStore(options.store ?? 'pglite');
  const { store } = observed;
  const vault = new CredentialVault(store.credentials, new LocalMasterKey(randomBytes(32)));
  const tools = createToolHarness(options);
  const logLines: string[] = [];
  const capture = new Writable({
    write(chunk, _encoding, done) {
      logLines.push(String(chunk));
      done();
    },
  });
  const log = createLogger('debug', capture);
  const telemetry = new RecordingSink();
  const bus = new TelemetryBus([
    new StoreTelemetrySink(store.telemetry),
    new LogTelemetrySink(log),
    telemetry,
    ...(options.sinks ?? []),
  ]);
  const audit: AuditRecord[] = [];
  const runner = new ToolRunner({
    registry: createCatalog(),
    settings: tools.settings,
    aws: tools.aws,
    approvals: tools.approvals,
    audit: {
      write: async (record) => {
        audit.push(record);
        await store.audit.write(record);
      },
    },
    log,
    telemetry: bus,
    sealedValues: vault,
  });
  const model = new RecordingOfflineModel({});
  const runtime: AgentRuntime = {
    settings: tools.settings,
    store,
    runner,
    approvals: tools.approvals,
    secrets: vault,
    model: new ManagedChatModel({
      standard: model,
      tier: 'standard',
      onCall: (record) => log.info({ event: 'model-call', ...record }, 'model call'),
    }),
    hasCredentials: async () => true,
    telemetry: bus,
    ...(options.nonInteractive ? { nonInteractive: true } : {}),
  };
  const sessions = new ChatSessions(runtime);
  const events: RecordedEvent[] = [];
  const listener = (event: RecordedEvent) => {
    events.push(event);
  };
  const userId = 'ann';
  return {
    tools,
    store,
    vault,
    runtime,
    sessions,
    model,
    telemetry,
    bus,
    logLines,
    events,
    audit,
    userId,
    send: (text, sendOptions = {}) =>
      sessions.send({
        userId,
        text,
        listener,
        ...(sendOptions.sessionId ? { sessionId: sendOptions.sessionId } : {}),
        ...(sendOptions.secrets ? { secrets: sendOptions.secrets } : {}),
      }),
    answer: (sessionId, answer) => sessions.answer({ userId, sessionId, answer, listener }),
    last: (type) => {
      const found = [...events].reverse().find((event) => event.type === type);
      if (!found) throw new Error(`no ${type} event; saw ${events.map((event) => event.type).join(', ')}`);
      return found as never;
    },
    dumpStore: () => observed.dump(),
    close: async () => {
      await bus.close();
      tools.close();
      await observed.close();
    },
  };
}

/** The sample app without its frontend (no pnpm build in preflight): backend, committed, in the workspace. */
export function makeBackendRepo(tools: ToolHarness, name: string): string {
  makeShopRepo(tools, name);
  const dir = join(tools.settings.workspace, name);
  rmSync(join(dir, 'frontend'), { recursive: true, force: true });
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'backend only');
  return name;
}
