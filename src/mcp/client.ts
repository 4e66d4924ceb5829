/**
 * External MCP servers as extra catalog tools: each configured server is started (stdio) or reached
 * (streamable HTTP), and each of its tools becomes `<server>__<tool>`, read-only unless the server
 * is configured with `writes: true` (then `write` and irreversible: aws-copilot cannot undo it).
 * They run through the same tool runner as every other tool: roles, approvals, limits, audit.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { Settings } from '../config/settings.js';
import { CopilotError } from '../errors/copilot-error.js';
import { logger as defaultLogger, type Logger } from '../telemetry/logger.js';
import { type AnyTool, defineTool, readOnlyPreview, type ToolPreview } from '../tools/define-tool.js';
import { type ExternalServerConfig, readExternalServers } from './external-config.js';
import { NAMESPACE_SEPARATOR } from './tool-listing.js';

const CONNECT_TIMEOUT_MS = 30_000;

export interface ExternalToolset {
  tools: AnyTool[];
  /** Servers that could not be started or listed, with why; their tools are missing. */
  failures: Array<{ server: string; message: string }>;
  close(): Promise<void>;
}

/** The remote tool's own JSON schema as zod, so the runner validates calls; anything it cannot read stays open. */
function inputSchemaOf(remote: Tool): z.ZodType {
  try {
    return z.fromJSONSchema(remote.inputSchema as Parameters<typeof z.fromJSONSchema>[0]);
  } catch {
    return z.record(z.string(), z.unknown());
  }
}

function textOf(content: unknown): string {
  if (!Array.isArray(content)) return '';
  return content
    .filter((part): part is { type: 'text'; text: string } => part?.type === 'text')
    .map((part) => part.text)
    .join('\n');
}

function writePreview(server: string, tool: string): ToolPreview {
  return {
    summary: `would call ${tool} on the external MCP server ${server}, which may change things`,
    method: 'local-check',
    changes: [
      { kind: 'update', resource: `mcp:${server}/${tool}`, detail: 'only that server knows what changes' },
    ],
    warnings: ['aws-copilot can neither preview nor undo what an external tool does'],
  };
}

export function externalTool(server: ExternalServerConfig, remote: Tool, client: Client): AnyTool {
  const name = `${server.name}${NAMESPACE_SEPARATOR}${remote.name}`;
  const description = `[MCP server ${server.name}] ${remote.description ?? remote.title ?? remote.name}`;
  const run = async (args: unknown, context: { signal: AbortSignal; settings: Settings }) => {
    const result = await client.callTool(
      { name: remote.name, arguments: (args ?? {}) as Record<string, unknown> },
      undefined,
      { signal: context.signal, timeout: context.settings.toolTimeoutMs },
    );
    if (result.isError) {
      throw new CopilotError(
        'command_failed',
        `${name} failed: ${textOf(result.content) || 'no detail given'}`,
      );
    }
    return {
      content: result.content,
      ...(result.structuredContent ? { structured_content: result.structuredContent } : {}),
    };
  };
  const common = { name, description, input: inputSchemaOf(remote), iam: [], run };
  if (server.writes) {
    return defineTool({
      ...common,
      risk: 'write',
      irreversible: true,
      preview: async () => writePreview(server.name, remote.name),
    });
  }
  return defineTool({
    ...common,
    risk: 'read',
    idempotent: true,
    preview: async () => readOnlyPreview(`calls ${remote.name} on the MCP server ${server.name}`),
  });
}

function transportOf(server: ExternalServerConfig): { transport: Transport; stderr: () => string } {
  if (server.url) {
    const transport = new StreamableHTTPClientTransport(new URL(server.url), {
      ...(server.headers ? { requestInit: { headers: server.headers } } : {}),
    });
    return { transport, stderr: () => '' };
  }
  const transport = new StdioClientTransport({
    command: server.command as string,
    args: server.args,
    ...(server.env ? { env: server.env } : {}),
    ...(server.cwd ? { cwd: server.cwd } : {}),
    stderr: 'pipe',
  });
  // The tail of the child's stderr says why it failed to start.
  let tail = '';
  transport.stderr?.on('data', (chunk: Buffer) => {
    tail = (tail + chunk.toString()).slice(-2000);
  });
  return { transport, stderr: () => tail.trim() };
}

async function connect(
  server: ExternalServerConfig,
  version: string,
): Promise<{ client: Client; tools: AnyTool[] }> {
  const client = new Client({ name: 'aws-copilot', version });
  const { transport, stderr } = transportOf(server);
  try {
    await client.connect(transport, { timeout: CONNECT_TIMEOUT_MS });
    const remote: Tool[] = [];
    let cursor: string | undefined;
    do {
      const page = await client.listTools(cursor ? { cursor } : {}, { timeout: CONNECT_TIMEOUT_MS });
      remote.push(...page.tools);
      cursor = page.nextCursor;
    } while (cursor);
    return { client, tools: remote.map((tool) => externalTool(server, tool, client)) };
  } catch (error) {
    await client.close().catch(() => undefined);
    const detail = stderr();
    throw new Error(`${(error as Error).message}${detail ? ` (stderr: ${detail})` : ''}`);
  }
}

/** Connects to every server; one that fails is reported and left out, the others still serve. */
export async function connectExternalServers(
  servers: ExternalServerConfig[],
  options: { version?: string; log?: Logger } = {},
): Promise<ExternalToolset> {
  const log = options.log ?? defaultLogger;
  const outcomes = await Promise.allSettled(
    servers.map((server) => connect(server, options.version ?? '0.1.0')),
  );
  const clients: Client[] = [];
  const tools: AnyTool[] = [];
  const failures: ExternalToolset['failures'] = [];
  for (const [index, outcome] of outcomes.entries()) {
    const server = servers[index] as ExternalServerConfig;
    if (outcome.status === 'fulfilled') {
      clients.push(outcome.value.client);
      tools.push(...outcome.value.tools);
    } else {
      const message = (outcome.reason as Error).message;
      failures.push({ server: server.name, message });
      log.warn({ server: server.name, error: message }, 'external MCP server unavailable');
    }
  }
  return {
    tools,
    failures,
    close: async () => {
      await Promise.all(clients.map((client) => client.close().catch(() => undefined)));
    },
  };
}

/** The servers of the `mcpServers` setting, connected. */
export function loadExternalTools(
  settings: Pick<Settings, 'mcpServers'>,
  options: { version?: string; log?: Logger } = {},
): Promise<ExternalToolset> {
  return connectExternalServers(readExternalServers(settings), options);
}
