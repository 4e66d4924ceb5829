/** Everything a workflow needs from the outside world, handed to the graphs in one object. */
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import type { Settings } from '../config/settings.js';
import type { ApprovalLedger } from '../guardrails/approvals.js';
import type { SecretSealer } from '../guardrails/sealed-values.js';
import type { Embedder } from '../models/embeddings.js';
import type { TokenBudget } from '../models/token-budget.js';
import type { AgentEvent } from '../protocol/events.js';
import type { Store } from '../store/ports.js';
import type { TelemetryBus } from '../telemetry/bus.js';
import type { RateLimiter } from '../tools/rate-limiter.js';
import type { ToolRunner } from '../tools/runner.js';

/** Delivers an event to whoever watches the session (WebSocket, `chat --json`) and stores it for replay. */
export type EmitEvent = (event: AgentEvent) => Promise<void>;

export interface AgentRuntime {
  settings: Settings;
  store: Store;
  runner: ToolRunner;
  /** Issues the approvals the runner accepts; only code acting on a person's answer calls it. */
  approvals: ApprovalLedger;
  /** Seals secrets typed into forms before they reach graph state (the credential vault). */
  secrets: SecretSealer;
  /** The model shared by sessions that have no budget of their own (tests, one-off calls). */
  model: BaseChatModel;
  /** The model of one session, carrying that session's token budget. */
  modelFor?: (sessionId: string) => BaseChatModel;
  /** Planning cycles per person (default: a process-wide limiter of 4 a minute). */
  planningLimiter?: RateLimiter;
  /** The session's token budget, to tag a deployment and report its tokens. */
  budgetFor?: (sessionId: string) => TokenBudget | undefined;
  /** Embeds vector memory's notes (same length as the store's vectors); without it nothing is remembered. */
  embedder?: Embedder;
  /** True when nobody can be asked (scripts without answers, MCP without elicitation). */
  nonInteractive?: boolean;
  /** Whether AWS calls for this user have credentials (vault, environment, or the sandbox). */
  hasCredentials?: (userId: string) => Promise<boolean>;
  /** The telemetry bus (store, logs, OpenTelemetry, alerts); without one, the store and the log. */
  telemetry?: TelemetryBus;
}

/** Per-session values the graph reads from LangGraph's `configurable`. */
export interface SessionContext {
  sessionId: string;
  userId: string;
  emit: EmitEvent;
}

export function sessionContextOf(
  config: { configurable?: Record<string, unknown> } | undefined,
): SessionContext {
  const context = config?.configurable?.session as SessionContext | undefined;
  if (!context) throw new Error('the graph was invoked without configurable.session');
  return context;
}

export function runtimeOf(config: { configurable?: Record<string, unknown> } | undefined): AgentRuntime {
  const runtime = config?.configurable?.runtime as AgentRuntime | undefined;
  if (!runtime) throw new Error('the graph was invoked without configurable.runtime');
  return runtime;
}

/** The session's own model (with its token budget) when the runtime has one, else the shared one. */
export function sessionModel(runtime: AgentRuntime, session: SessionContext): BaseChatModel {
  return runtime.modelFor?.(session.sessionId) ?? runtime.model;
}
