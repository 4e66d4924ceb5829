/**
 * The server of `aws-copilot serve`: the REST API, the `/ws/agent` WebSocket and the built web UI
 * in one Fastify instance (not listening yet). Every request passes one gate (request-gate.ts);
 * every JSON answer passes the redactor.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import websocket from '@fastify/websocket';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyRequest,
  LogController,
} from 'fastify';
import type { ChatSessions } from '../agents/chat-session.js';
import { redactor } from '../guardrails/redaction.js';
import { MAX_BODY_BYTES } from '../protocol/api.js';
import { HEARTBEAT_INTERVAL_MS } from '../protocol/ws.js';
import type { Store } from '../store/ports.js';
import type { CredentialVault } from '../store/vault/credential-vault.js';
import { logger as defaultLogger, type Logger } from '../telemetry/logger.js';
import { Authenticator, type AuthMode } from './auth.js';
import { sendError, sendFailure } from './http-errors.js';
import { LiveSessions } from './live-sessions.js';
import { isLoopbackHost, requestGate } from './request-gate.js';
import { RequestLimiter } from './request-limiter.js';
import { registerAuthRoutes } from './routes/auth.js';
import { registerCredentialRoutes } from './routes/credentials.js';
import { registerDeploymentRoutes } from './routes/deployments.js';
import { registerHealthRoutes } from './routes/health.js';
import { registerSessionRoutes } from './routes/sessions.js';
import { registerWebRoutes } from './routes/web.js';
import { registerAgentSocket } from './ws-agent.js';

const PACKAGE_ROOT = resolve(import.meta.dirname, '..', '..');
/** Where the web UI's build lands (`web/` builds into it). */
export const DEFAULT_WEB_ROOT = join(PACKAGE_ROOT, 'web', 'dist');
/** Largest WebSocket message read at all; between MAX_CLIENT_FRAME_BYTES and this one gets an error frame. */
const WS_MAX_PAYLOAD = 1024 * 1024;

export interface ServerOptions {
  chat: ChatSessions;
  store: Store;
  vault: CredentialVault;
  auth: AuthMode;
  /** The address the server will listen on: bound to loopback, it answers only to loopback Host names (DNS rebinding). */
  host?: string;
  /** Browser origins besides the server's own that may make state-changing requests and open the WebSocket. */
  allowedOrigins?: string[];
  /** Requests and WebSocket frames per minute per user (default 600). */
  rateLimitPerMinute?: number;
  /** Set when AWS calls go to the local emulator: /api/health carries the SANDBOX banner. */
  sandboxEndpoint?: string;
  /** Folder of the built UI; default: the package's web/dist when it exists. */
  webRoot?: string;
  heartbeatMs?: number;
  /** Continue workflows a previous process left mid-run once the server is ready (default true). */
  continueInterrupted?: boolean;
  /** Behind a reverse proxy: believe its X-Forwarded-For and X-Forwarded-Proto. */
  trustProxy?: boolean;
  /** How long closing waits for running turns before leaving them to the next start (default 10 s). */
  closeGraceMs?: number;
  log?: Logger;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The turns this server runs, for tests and shutdown. */
    liveSessions: LiveSessions;
  }
}

function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string })
      .version;
  } catch {
    return '0.0.0';
  }
}

export async function buildServer(options: ServerOptions): Promise<FastifyInstance> {
  const log = options.log ?? defaultLogger;
  const app = Fastify({
    loggerInstance: log as FastifyBaseLogger,
    // Request lines would carry the start-up URL's token; failures are logged where they happen.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: MAX_BODY_BYTES,
    trustProxy: options.trustProxy ?? false,
    forceCloseConnections: true,
  });
  const auth = new Authenticator(options.auth, options.store.users);
  const limiter = new RequestLimiter(options.rateLimitPerMinute ?? 600);
  const live = new LiveSessions(options.chat, options.store.sessions, log);
  app.decorate('liveSessions', live);

  // First: its hooks mark upgrade requests, so a refused upgrade's socket is closed after the answer.
  await app.register(websocket, { options: { maxPayload: WS_MAX_PAYLOAD } });
  // JSON only: a form post from another site cannot even be parsed.
  app.removeContentTypeParser('text/plain');
  app.addHook(
    'onRequest',
    requestGate({
      auth,
      limiter,
      allowedOrigins: new Set((options.allowedOrigins ?? []).map((origin) => new URL(origin).origin)),
      loopbackOnly: isLoopbackHost(options.host ?? '127.0.0.1'),
    }),
  );
  app.addHook('preSerialization', async (request: FastifyRequest, _reply, payload: unknown) =>
    request.routeOptions.config?.masked ? payload : redactor.value(payload),
  );
  app.setErrorHandler((error: Error & { statusCode?: number }, request, reply) => {
    const status = error.statusCode ?? 500;
    if (status === 413)
      return sendError(
        reply,
        413,
        'payload_too_large',
        `request bodies hold at most ${MAX_BODY_BYTES} bytes`,
      );
    if (status === 415)
      return sendError(reply, 415, 'unsupported_media_type', 'send JSON with content-type: application/json');
    if (status >= 400 && status < 500) return sendError(reply, status, 'invalid_input', error.message);
    return sendFailure(request, reply, error);
  });
  app.setNotFoundHandler((request, reply) =>
    sendError(reply, 404, 'not_found', `no route ${request.method} ${request.url.split('?')[0]}`),
  );

  registerHealthRoutes(app, {
    version: packageVersion(),
    mode: auth.multiUser ? 'multi-user' : 'single-user',
    store: options.store.kind,
    ...(options.sandboxEndpoint ? { sandboxEndpoint: options.sandboxEndpoint } : {}),
  });
  registerAuthRoutes(app, auth);
  registerSessionRoutes(app, options.store);
  registerDeploymentRoutes(app, options.store);
  registerCredentialRoutes(app, options.vault);
  registerAgentSocket(app, {
    chat: options.chat,
    live,
    sessions: options.store.sessions,
    events: options.store.events,
    limiter,
    heartbeatMs: options.heartbeatMs ?? HEARTBEAT_INTERVAL_MS,
    log,
  });
  registerWebRoutes(app, { auth, webRoot: options.webRoot ?? DEFAULT_WEB_ROOT });

  if (options.continueInterrupted ?? true) {
    app.addHook('onReady', async () => {
      const mode = options.auth;
      const userIds =
        mode.kind === 'single-user'
          ? [mode.user.id]
          : (await options.store.users.list()).map((user) => user.id);
      // In the background: the server answers while the workflows continue.
      live
        .continueInterrupted(userIds)
        .catch((error: unknown) =>
          log.error({ error: (error as Error).message }, 'continuing interrupted workflows failed'),
        );
    });
  }
  app.addHook('onClose', async () => {
    const grace = new Promise<void>((done) => setTimeout(done, options.closeGraceMs ?? 10_000).unref());
    await Promise.race([live.idle(), grace]);
  });
  return app;
}
