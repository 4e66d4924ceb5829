/**
 * The MCP server over streamable HTTP: one MCP session per client (its own server and transport),
 * on loopback by default, and every request must carry the bearer token made at start.
 */
import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import { logger as defaultLogger, type Logger } from '../telemetry/logger.js';

export const MCP_PATH = '/mcp';
const MAX_BODY_BYTES = 4 * 1024 * 1024;

export interface McpHttpServer {
  /** e.g. `http://127.0.0.1:41234/mcp`. */
  url: string;
  /** Clients send `Authorization: Bearer <token>`. */
  token: string;
  close(): Promise<void>;
}

export interface McpHttpOptions {
  /** A fresh MCP server for each client session. */
  createServer: () => Server;
  host?: string;
  port?: number;
  /** Fixed token (tests); by default a random one is made. */
  token?: string;
  log?: Logger;
}

/** True for names and addresses that only this machine can reach. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || host.startsWith('127.');
}

function sendJsonRpcError(response: ServerResponse, status: number, message: string, headers = {}): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message }, id: null }));
}

function hasToken(request: IncomingMessage, expected: Buffer): boolean {
  const header = request.headers.authorization ?? '';
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match?.[1]) return false;
  const given = Buffer.from(match[1]);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** A browser page on another site must not reach a loopback server (DNS rebinding). */
function originAllowed(request: IncomingMessage): boolean {
  const origin = request.headers.origin;
  if (!origin) return true;
  try {
    return isLoopback(new URL(origin).hostname);
  } catch {
    return false;
  }
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new Error(`request body over ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

export async function startMcpHttpServer(options: McpHttpOptions): Promise<McpHttpServer> {
  const log = options.log ?? defaultLogger;
  const host = options.host ?? '127.0.0.1';
  const token = options.token ?? randomBytes(32).toString('base64url');
  const expected = Buffer.from(token);
  const sessions = new Map<string, StreamableHTTPServerTransport>();

  async function openSession(request: IncomingMessage, response: ServerResponse, body: unknown) {
    const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => {
        sessions.set(id, transport);
      },
    });
    transport.onclose = () => {
      if (transport.sessionId) sessions.delete(transport.sessionId);
    };
    await options.createServer().connect(transport);
    await transport.handleRequest(request, response, body);
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (path !== MCP_PATH)
      return sendJsonRpcError(response, 404, `not found: the MCP endpoint is ${MCP_PATH}`);
    if (!originAllowed(request))
      return sendJsonRpcError(response, 403, 'requests from this origin are refused');
    if (!hasToken(request, expected)) {
      return sendJsonRpcError(
        response,
        401,
        'missing or wrong bearer token: send the token aws-copilot mcp printed at start as "Authorization: Bearer <token>"',
        { 'www-authenticate': 'Bearer realm="aws-copilot"' },
      );
    }
    let body: unknown;
    if (request.method === 'POST') {
      try {
        body = await readJson(request);
      } catch (error) {
        return sendJsonRpcError(response, 400, `the body is not JSON: ${(error as Error).message}`);
      }
    }
    const sessionId = request.headers['mcp-session-id'];
    const existing = typeof sessionId === 'string' ? sessions.get(sessionId) : undefined;
    if (existing) return existing.handleRequest(request, response, body);
    if (sessionId === undefined && request.method === 'POST' && isInitializeRequest(body))
      return openSession(request, response, body);
    return sendJsonRpcError(
      response,
      sessionId === undefined ? 400 : 404,
      sessionId === undefined ? 'no MCP session: initialize first' : 'unknown or closed MCP session',
    );
  }

  const http = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      log.error({ error: (error as Error).message }, 'MCP HTTP request failed');
      if (!response.headersSent) sendJsonRpcError(response, 500, 'internal error');
      else response.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port ?? 0, host, () => {
      http.off('error', reject);
      resolve();
    });
  });
  const address = http.address() as AddressInfo;
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${urlHost}:${address.port}${MCP_PATH}`,
    token,
    close: async () => {
      await Promise.all([...sessions.values()].map((transport) => transport.close().catch(() => undefined)));
      sessions.clear();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
