/** Assembles the product from settings: store, vault, runner, models with per-session budgets. */
import type { Settings } from '../config/settings.js';
import { ApprovalLedger } from '../guardrails/approvals.js';
import { createChatModel } from '../models/create-chat-model.js';
import { createEmbedder } from '../models/create-embedder.js';
import { loadModelSettings } from '../models/model-settings.js';
import { OfflineChatModel } from '../models/offline/offline-chat-model.js';
import { TokenBudget } from '../models/token-budget.js';
import { openStore, scheduleRetention } from '../store/open-store.js';
import type { Store } from '../store/ports.js';
import type { CredentialVault } from '../store/vault/credential-vault.js';
import { openVault } from '../store/vault/open-vault.js';
import { createTelemetry } from '../telemetry/create-telemetry.js';
import { logger } from '../telemetry/logger.js';
import type { AwsClientFactory } from '../tools/aws/clients.js';
import { createCatalog } from '../tools/catalog.js';
import { ToolRunner } from '../tools/runner.js';
import { ChatSessions } from './chat-session.js';
import type { AgentRuntime } from './runtime.js';

export interface AgentApp {
  runtime: AgentRuntime;
  sessions: ChatSessions;
  store: Store;
  /** Each person's AWS credentials; the runner's AWS calls for a person are signed with theirs. */
  vault: CredentialVault;
  close(): Promise<void>;
}

export async function createAgentApp(input: {
  settings: Settings;
  aws: AwsClientFactory;
  nonInteractive?: boolean;
  /** Whether AWS calls for a user will find credentials (sandbox, environment, vault). */
  hasCredentials: (userId: string) => Promise<boolean>;
}): Promise<AgentApp> {
  const { settings, aws } = input;
  const store = await openStore(settings);
  // AWS credentials, and the secrets people type into forms: sealed as they arrive, opened by the runner.
  const vault = openVault(store.credentials, settings, settings.kmsKeyId ? aws : undefined);
  // Decrypted when a request is signed, never kept: see user-credentials.ts.
  const userAws = aws.withUserCredentials((userId, name) => vault.resolve(userId, name));
  // Request logs and finished deployments older than retentionDays go now and every six hours after.
  const stopRetention = scheduleRetention(store, settings.retentionDays, (error) =>
    logger.warn({ event: 'retention-purge', error: (error as Error).message }, 'retention purge failed'),
  );
  const modelSettings = loadModelSettings();
  const offline = () => new OfflineChatModel({});
  const model = createChatModel(modelSettings, { offline });
  const budgets = new Map<string, TokenBudget>();
  const budgetOf = (sessionId: string) => {
    let budget = budgets.get(sessionId);
    if (!budget) {
      budget = TokenBudget.fromSettings(modelSettings);
      budgets.set(sessionId, budget);
    }
    return budget;
  };
  // One ledger: the runner accepts exactly the approvals the workflows issue from people's answers.
  const approvals = new ApprovalLedger();
  // Store, JSON log, and OpenTelemetry and the alert webhook when configured.
  const telemetry = await createTelemetry({ settings, telemetry: store.telemetry });
  const runtime: AgentRuntime = {
    settings,
    store,
    runner: new ToolRunner({
      registry: createCatalog(),
      settings,
      aws: userAws,
      approvals,
      audit: store.audit,
      telemetry,
      sealedValues: vault,
    }),
    approvals,
    secrets: vault,
    model,
    // The shared model with the session's budget: the budget budgetFor reports (deployment tokens)
    // is the one the calls spend from, and no model object is kept per session.
    modelFor: (sessionId) => model.withBudget(budgetOf(sessionId)),
    budgetFor: budgetOf,
    embedder: createEmbedder(modelSettings, store.vectors.dimensions),
    ...(input.nonInteractive ? { nonInteractive: true } : {}),
    hasCredentials: input.hasCredentials,
    telemetry,
  };
  return {
    runtime,
    sessions: new ChatSessions(runtime),
    store,
    vault,
    close: async () => {
      userAws.destroy();
      aws.destroy();
      await stopRetention();
      await telemetry.close();
      await store.close();
    },
  };
}
