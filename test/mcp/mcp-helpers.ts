/** MCP clients for the tests: the official SDK's Client against the built `aws-copilot mcp`, over stdio or HTTP. */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { type CallToolResult, ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { ChatSessions } from '../../src/agents/chat-session.js';
import { createMcpServer } from '../../src/mcp/server.js';
import type { AgentHarness } from '../helpers/agent-harness.js';
import { CLI, cliEnvironment, REPO_ROOT } from '../helpers/cli.js';
import { sandboxEndpoint } from '../helpers/tool-harness.js';

export const NOTES_SERVER = resolve(import.meta.dirname, 'fixtures', 'notes-server.mjs');

/** What the test's person does when the server asks: no elicitation capability at all, accept or decline. */
export type PersonBehaviour = 'cannot-ask' | 'accept' | 'decline';

export interface TestClient {
  client: Client;
  /** Every elicitation message the server sent, in order. */
  asked: string[];
  call(name: string, args?: Record<string, unknown>): Promise<CallToolResult>;
  close(): Promise<void>;
}

function assertBuilt(): void {
  if (!existsSync(join(REPO_ROOT, 'dist', 'cli', 'main.js')))
    throw new Error('the CLI is not built: run `npm run build` (npm test does it first)');
}

/** A user's environment for the CLI: the sandbox, its own data folder and workspace, no AWS credentials. */
export function mcpEnvironment(extra: Record<string, string> = {}): Record<string, string> {
  const folder = mkdtempSync(join(tmpdir(), 'mcp-cli-'));
  const env = cliEnvironment({
    AWS_ENDPOINT_URL: sandboxEndpoint(),
    AWS_COPILOT_DATA_DIR: join(folder, 'data'),
    AWS_COPILOT_WORKSPACE: folder,
    AWS_COPILOT_AWS_RPS: '50',
    AWS_COPILOT_USER: 'mcp-tester',
    ...extra,
  });
  return Object.fromEntries(
    Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}

export async function connectClient(transport: Transport, person: PersonBehaviour): Promise<TestClient> {
  const client = new Client(
    { name: 'aws-copilot-tests', version: '1.0.0' },
    { capabilities: person === 'cannot-ask' ? {} : { elicitation: { form: {} } } },
  );
  const asked: string[] = [];
  if (person !== 'cannot-ask') {
    client.setRequestHandler(ElicitRequestSchema, async (request) => {
      asked.push(request.params.message);
      return person === 'accept' ? { action: 'accept', content: {} } : { action: 'decline' };
    });
  }
  await client.connect(transport);
  return {
    client,
    asked,
    call: async (name, args = {}) =>
      (await client.callTool({ name, arguments: args }, undefined, { timeout: 120_000 })) as CallToolResult,
    close: () => client.close(),
  };
}

/** `aws-copilot mcp` over stdio, as Claude Desktop starts it. */
export function connectStdio(env: Record<string, string>, person: PersonBehaviour): Promise<TestClient> {
  assertBuilt();
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [CLI, 'mcp'],
    env,
    cwd: REPO_ROOT,
    stderr: 'pipe',
  });
  return connectClient(transport, person);
}

export interface HttpCli {
  url: string;
  token: string;
  stop(): Promise<void>;
}

/** `aws-copilot mcp --http` on a free loopback port; resolves once it printed its URL and token. */
export function startHttpCli(env: Record<string, string>): Promise<HttpCli> {
  assertBuilt();
  const child: ChildProcess = spawn(process.execPath, [CLI, 'mcp', '--http', '--port', '0'], {
    cwd: REPO_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const stop = () =>
    new Promise<void>((resolveStop) => {
      if (child.exitCode !== null) return resolveStop();
      child.once('exit', () => resolveStop());
      child.kill('SIGTERM');
    });
  return new Promise((resolveStart, reject) => {
    const timer = setTimeout(() => reject(new Error(`mcp --http did not start: ${stderr}`)), 60_000);
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const url = /url:\s+(\S+)/.exec(stdout)?.[1];
      const token = /token:\s+(\S+)/.exec(stdout)?.[1];
      if (url && token) {
        clearTimeout(timer);
        resolveStart({ url, token, stop });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`mcp --http exited with ${code}: ${stderr}`));
    });
  });
}

export function connectHttp(cli: HttpCli, person: PersonBehaviour): Promise<TestClient> {
  const transport = new StreamableHTTPClientTransport(new URL(cli.url), {
    requestInit: { headers: { Authorization: `Bearer ${cli.token}` } },
  });
  return connectClient(transport, person);
}

/** The structured result of a call (the tool envelope, or a workflow summary). */
export function structured<T = Record<string, unknown>>(result: CallToolResult): T {
  return result.structuredContent as T;
}

/** An MCP server on an agent harness's runtime, linked in memory to a client whose person behaves as told. */
export async function connectToHarness(
  harness: AgentHarness,
  person: PersonBehaviour,
  options: { writes: boolean },
): Promise<TestClient> {
  const server = createMcpServer({
    runner: harness.tools.runner,
    approvals: harness.tools.approvals,
    settings: { mcpAllowWrites: options.writes },
    userId: harness.userId,
    workflows: async () => ({
      sessions: harness.sessions,
      unattended: new ChatSessions({ ...harness.runtime, nonInteractive: true }),
      store: harness.store,
    }),
  });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  return connectClient(clientSide, person);
}
