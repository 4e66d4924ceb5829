/**
 * The server as `aws-copilot serve` builds it (createAgentApp: the configured store, the offline
 * model), on 127.0.0.1 port 0, its AWS calls going to the shared sandbox; plus a WebSocket client
 * that checks every frame against the protocol's schema and an HTTP helper that keeps cookies.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import WebSocket from 'ws';
import { type AgentApp, createAgentApp } from '../../src/agents/create-agent-runtime.js';
import { type ServerFrame, serverFrameSchema } from '../../src/protocol/ws.js';
import { buildServer, type ServerOptions } from '../../src/server/app.js';
import type { AuthMode } from '../../src/server/auth.js';
import { createToolHarness, type ToolHarness } from './tool-harness.js';

export const TEST_TOKEN = 'test-access-token-0123456789abcdef';

export interface ServerHarness {
  /** `http://127.0.0.1:<port>`. */
  url: string;
  wsUrl: string;
  server: FastifyInstance;
  app: AgentApp;
  tools: ToolHarness;
  close(): Promise<void>;
}

export interface ServerHarnessOptions
  extends Partial<Omit<ServerOptions, 'chat' | 'store' | 'vault' | 'auth' | 'host'>> {
  auth?: AuthMode;
  /** Where the agents' AWS calls go instead of the shared sandbox, e.g. a fault proxy in front of it. */
  awsEndpointUrl?: string;
}

export async function startServerHarness(options: ServerHarnessOptions = {}): Promise<ServerHarness> {
  const { auth, awsEndpointUrl, ...rest } = options;
  const tools = createToolHarness(awsEndpointUrl ? { endpointUrl: awsEndpointUrl } : {});
  const settings = { ...tools.settings, storeDir: mkdtempSync(join(tmpdir(), 'server-store-')) };
  const app = await createAgentApp({ settings, aws: tools.aws, hasCredentials: async () => true });
  const server = await buildServer({
    chat: app.sessions,
    store: app.store,
    vault: app.vault,
    auth: auth ?? { kind: 'single-user', token: TEST_TOKEN, user: { id: 'local', name: 'local' } },
    host: '127.0.0.1',
    webRoot: mkdtempSync(join(tmpdir(), 'no-web-')),
    ...rest,
  });
  const address = await server.listen({ host: '127.0.0.1', port: 0 });
  return {
    url: address,
    wsUrl: `${address.replace(/^http/, 'ws')}/ws/agent`,
    server,
    app,
    tools,
    close: async () => {
      await server.close();
      await app.close();
      tools.close();
    },
  };
}

export interface ApiAnswer {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: tests read whatever the route answered.
  body: any;
  text: string;
}

/** An HTTP client of the server that keeps its session cookie, like a browser tab. */
export class ApiClient {
  cookie: string | undefined;
  csrfToken: string | undefined;

  constructor(
    readonly baseUrl: string,
    readonly headers: Record<string, string> = {},
  ) {}

  async request(
    method: string,
    path: string,
    options: { body?: unknown; headers?: Record<string, string>; raw?: string } = {},
  ): Promise<ApiAnswer> {
    const headers: Record<string, string> = { ...this.headers, ...options.headers };
    if (this.cookie) headers.cookie = this.cookie;
    if (this.csrfToken && !['GET', 'HEAD'].includes(method)) headers['x-csrf-token'] ??= this.csrfToken;
    let body: string | undefined = options.raw;
    if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    }
    const response = await fetch(`${this.baseUrl}${path}`, { method, headers, body, redirect: 'manual' });
    const setCookie = response.headers.get('set-cookie');
    if (setCookie) {
      const value = setCookie.split(';')[0] ?? '';
      this.cookie = value.endsWith('=') ? undefined : value;
    }
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    return { status: response.status, headers: response.headers, body: parsed, text };
  }

  get(path: string, headers?: Record<string, string>): Promise<ApiAnswer> {
    return this.request('GET', path, headers ? { headers } : {});
  }

  /** Signs in with a password and keeps the cookie and the CSRF token. */
  async login(username: string, password: string): Promise<ApiAnswer> {
    const answer = await this.request('POST', '/api/auth/login', { body: { username, password } });
    this.csrfToken = answer.body?.csrfToken;
    return answer;
  }
}

/** A `/ws/agent` client: every frame it receives must parse as a server frame. */
export class AgentClient {
  readonly frames: ServerFrame[] = [];
  readonly invalid: unknown[] = [];
  private cursor = 0;
  private waiters: Array<() => void> = [];
  closed: { code: number; reason: string } | undefined;

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const json = JSON.parse(String(data));
      const parsed = serverFrameSchema.safeParse(json);
      if (parsed.success) this.frames.push(json as ServerFrame);
      else this.invalid.push(json);
      this.wake();
    });
    socket.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString() };
      this.wake();
    });
  }

  static open(
    url: string,
    options: { headers?: Record<string, string>; sessionId?: string; origin?: string } = {},
  ): Promise<AgentClient> {
    const target = options.sessionId ? `${url}?session_id=${options.sessionId}` : url;
    const socket = new WebSocket(target, {
      headers: options.headers ?? {},
      ...(options.origin ? { origin: options.origin } : {}),
    });
    return new Promise((resolve, reject) => {
      const client = new AgentClient(socket);
      socket.once('unexpected-response', (_request, response) =>
        reject(
          Object.assign(new Error(`upgrade refused: ${response.statusCode}`), {
            status: response.statusCode,
          }),
        ),
      );
      socket.once('error', reject);
      client.next((frame) => frame.type === 'hello').then(() => resolve(client), reject);
    });
  }

  get hello(): Extract<ServerFrame, { type: 'hello' }> {
    const hello = this.frames.find((frame) => frame.type === 'hello');
    if (hello?.type !== 'hello') throw new Error('no hello yet');
    return hello;
  }

  /** Event frames (those with a seq) received so far. */
  events(): Array<Extract<ServerFrame, { seq: number }>> {
    return this.frames.filter((frame): frame is Extract<ServerFrame, { seq: number }> => 'seq' in frame);
  }

  send(frame: unknown): void {
    this.socket.send(typeof frame === 'string' || Buffer.isBuffer(frame) ? frame : JSON.stringify(frame));
  }

  /** The next frame (after the last one returned) that matches, waiting for it if needed. */
  async next(match: (frame: ServerFrame) => boolean, timeoutMs = 120_000): Promise<ServerFrame> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      for (let index = this.cursor; index < this.frames.length; index += 1) {
        const frame = this.frames[index] as ServerFrame;
        if (match(frame)) {
          this.cursor = index + 1;
          return frame;
        }
      }
      if (this.closed)
        throw new Error(`socket closed (${this.closed.code} ${this.closed.reason}) while waiting`);
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(
          `timed out; frames since: ${this.frames
            .slice(this.cursor)
            .map((frame) => frame.type)
            .join(', ')}`,
        );
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** The next frame of a type. */
  async nextOf<T extends ServerFrame['type']>(
    type: T,
    timeoutMs?: number,
  ): Promise<Extract<ServerFrame, { type: T }>> {
    return (await this.next((frame) => frame.type === type, timeoutMs)) as Extract<ServerFrame, { type: T }>;
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      this.socket.once('close', () => resolve());
      this.socket.close();
    });
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const waiter of waiters) waiter();
  }
}

export const bearer = (token = TEST_TOKEN) => ({ authorization: `Bearer ${token}` });
