/**
 * aws-copilot as an MCP server: every tool of the registry as an MCP tool (its JSON input schema,
 * a title, hints read from its risk), `preview_tool` for the preview of any of them, and the
 * workflows as tools. Every catalog call goes through the tool runner as the server's user, so
 * role checks, approvals, rate limits, redaction and audit are the same as everywhere else.
 *
 * The SDK's low-level `Server` is used on purpose: the catalog already has its JSON schemas and its
 * validation (in the runner, which also audits invalid calls), and `McpServer` would re-validate
 * before the runner and cannot publish a union input such as repo_reader's.
 */
import { randomUUID } from 'node:crypto';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  CallToolRequestSchema,
  type CallToolResult,
  ListToolsRequestSchema,
  type Tool,
} from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { Settings } from '../config/settings.js';
import type { ApprovalLedger } from '../guardrails/approvals.js';
import { logger as defaultLogger, type Logger } from '../telemetry/logger.js';
import type { ToolRunner } from '../tools/runner.js';
import { personAsker } from './ask-person.js';
import { callCatalogTool } from './catalog-call.js';
import { invalidInputResult, jsonResult } from './results.js';
import { mcpToolOf, objectInputSchema } from './tool-listing.js';
import { callWorkflowTool, isWorkflowTool, type WorkflowHost, workflowTools } from './workflow-tools.js';

export const PREVIEW_TOOL = 'preview_tool';

export interface McpServerOptions {
  runner: ToolRunner;
  /** The ledger the runner checks; only an accepted elicitation makes this server call `grant`. */
  approvals: ApprovalLedger;
  settings: Pick<Settings, 'mcpAllowWrites'>;
  /** Whose calls these are: rate limits, audit records, sessions and reports are this user's. */
  userId: string;
  /** Opens the workflows on first use; without it the workflow tools are not offered. */
  workflows?: () => Promise<WorkflowHost>;
  version?: string;
  log?: Logger;
}

const previewInput = z.strictObject({
  tool: z.string().min(1).describe('name of the tool to preview, e.g. terminate_ec2'),
  args: z.record(z.string(), z.unknown()).default({}).describe('the arguments the call would have'),
});

function previewTool(): Tool {
  return {
    name: PREVIEW_TOOL,
    title: 'Preview a tool call',
    description:
      'Show what a call of any tool would do, changing nothing (AWS DryRun or a describe-based diff): the same preview the person sees before approving. Works for write and destructive tools even when writes are off.',
    inputSchema: objectInputSchema(previewInput),
    annotations: {
      title: 'Preview a tool call',
      readOnlyHint: true,
      destructiveHint: false,
      idempotentHint: true,
    },
  };
}

const INSTRUCTIONS =
  'aws-copilot: AWS tools with guardrails. Read tools run at once. Call preview_tool to see what any call would change. ' +
  'Write and destructive tools run only when the server allows writes and the person accepts the call in your client. ' +
  'To deploy or to diagnose an ECS service, use start_deployment or start_ecs_diagnosis and follow each result\'s "next".';

export function createMcpServer(options: McpServerOptions): Server {
  const log = options.log ?? defaultLogger;
  const writesAllowed = options.settings.mcpAllowWrites;
  const server = new Server(
    { name: 'aws-copilot', version: options.version ?? '0.1.0' },
    { capabilities: { tools: {} }, instructions: INSTRUCTIONS },
  );

  server.setRequestHandler(ListToolsRequestSchema, () => ({
    tools: [
      ...options.runner.registry.list().map((tool) => mcpToolOf(tool, writesAllowed)),
      previewTool(),
      ...(options.workflows ? workflowTools() : []),
    ],
  }));

  server.setRequestHandler(CallToolRequestSchema, async (request, extra): Promise<CallToolResult> => {
    const { name, arguments: args } = request.params;
    const ask = personAsker(server, extra.requestId, extra.signal, log);
    const progressToken = request.params._meta?.progressToken;
    let progress = 0;
    const onProgress =
      progressToken === undefined
        ? undefined
        : (message: string) => {
            progress += 1;
            void extra
              .sendNotification({
                method: 'notifications/progress',
                params: { progressToken, progress, message },
              })
              .catch(() => undefined);
          };
    const client = server.getClientVersion()?.name ?? 'unknown-client';
    const correlationId = `mcp:${client}:${extra.sessionId ?? 'stdio'}:${randomUUID()}`;

    if (options.workflows && isWorkflowTool(name)) {
      return callWorkflowTool(name, args, {
        host: options.workflows,
        userId: options.userId,
        writesAllowed,
        ask,
        ...(onProgress ? { onProgress } : {}),
      });
    }
    if (name === PREVIEW_TOOL) {
      const parsed = previewInput.safeParse(args ?? {});
      if (!parsed.success) return invalidInputResult(PREVIEW_TOOL, parsed.error);
      const envelope = await options.runner.call({
        tool: parsed.data.tool,
        args: parsed.data.args,
        mode: 'preview',
        userId: options.userId,
        correlationId,
        signal: extra.signal,
      });
      return jsonResult(envelope, envelope.status === 'error');
    }
    const envelope = await callCatalogTool(name, args, {
      runner: options.runner,
      approvals: options.approvals,
      writesAllowed,
      userId: options.userId,
      correlationId,
      signal: extra.signal,
      ask,
      ...(onProgress ? { onProgress } : {}),
    });
    return jsonResult(envelope, envelope.status === 'error');
  });
  return server;
}
