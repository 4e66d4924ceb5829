/**
 * The whole product on the offline model: a real runner on the sandbox, a real store (PGlite in
 * memory unless one is given), the deploy workflow, and a recorder of every event it emits.
 */
import { randomBytes } from 'node:crypto';
import { ChatSessions, type TurnResult } from '../../src/agents/chat-session.js';
import type { AgentRuntime } from '../../src/agents/runtime.js';
import { budgetedModel } from '../../src/models/budgeted-model.js';
import { LocalEmbedder } from '../../src/models/local-embedder.js';
import { OfflineChatModel } from '../../src/models/offline/offline-chat-model.js';
import { TokenBudget } from '../../src/models/token-budget.js';
import type { AgentEvent } from '../../src/protocol/events.js';
import { openPGliteStore } from '../../src/store/pglite/open-pglite-store.js';
import type { Store } from '../../src/store/ports.js';
import { CredentialVault } from '../../src/store/vault/credential-vault.js';
import { LocalMasterKey } from '../../src/store/vault/master-key.js';
import { createToolHarness, type HarnessOptions, type ToolHarness } from './tool-harness.js';

export type RecordedEvent = AgentEvent & { seq: number; session_id: string };

export interface AgentHarness {
  tools: ToolHarness;
  store: Store;
  runtime: AgentRuntime;
  sessions: ChatSessions;
  events: RecordedEvent[];
  userId: string;
  send(text: string, sessionId?: string): Promise<TurnResult>;
  answer(sessionId: string, answer: unknown): Promise<TurnResult>;
  /** The last event of a type, or throws naming what was seen instead. */
  last<T extends AgentEvent['type']>(type: T): Extract<RecordedEvent, { type: T }>;
  close(): Promise<void>;
}

export async function createAgentHarness(
  options: HarnessOptions & { store?: Store; userId?: string } = {},
): Promise<AgentHarness> {
  const store = options.store ?? (await openPGliteStore({ directory: 'memory://', vectorDimensions: 8 }));
  // Secrets typed into forms are sealed in the store's vault and opened by the runner, as in the product.
  const vault = new CredentialVault(store.credentials, new LocalMasterKey(randomBytes(32)));
  // The runner audits into the store, as the product wires it, so reports can cite the trail.
  const tools = createToolHarness({ ...options, auditSink: store.audit, sealedValues: vault });
  const budgets = new Map<string, TokenBudget>();
  const budgetOf = (sessionId: string) => {
    const budget = budgets.get(sessionId) ?? new TokenBudget({ inputLimit: 80_000, outputLimit: 40_000 });
    budgets.set(sessionId, budget);
    return budget;
  };
  const runtime: AgentRuntime = {
    settings: tools.settings,
    store,
    runner: tools.runner,
    approvals: tools.approvals,
    secrets: vault,
    model: new OfflineChatModel({}),
    // Vector memory as the product has it offline: the local embedding, as long as the store's vectors.
    embedder: new LocalEmbedder(store.vectors.dimensions),
    // Each session gets its own budget, as in the product, so tests can read token totals.
    modelFor: (sessionId) => budgetedModel(new OfflineChatModel({}), budgetOf(sessionId)),
    budgetFor: budgetOf,
    hasCredentials: async () => true,
  };
  const sessions = new ChatSessions(runtime);
  const events: RecordedEvent[] = [];
  const userId = options.userId ?? 'ann';
  const listener = (event: RecordedEvent) => {
    events.push(event);
  };
  return {
    tools,
    store,
    runtime,
    sessions,
    events,
    userId,
    send: (text, sessionId) => sessions.send({ userId, text, listener, ...(sessionId ? { sessionId } : {}) }),
    answer: (sessionId, answer) => sessions.answer({ userId, sessionId, answer, listener }),
    last: (type) => {
      const found = [...events].reverse().find((event) => event.type === type);
      if (!found) throw new Error(`no ${type} event; saw ${events.map((event) => event.type).join(', ')}`);
      return found as never;
    },
    close: async () => {
      tools.close();
      if (!options.store) await store.close();
    },
  };
}
