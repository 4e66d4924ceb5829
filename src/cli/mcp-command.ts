/**
 * `aws-copilot mcp`: the tool catalog (with the tools of configured external MCP servers) and the
 * workflows, served to MCP clients over stdio, or over streamable HTTP with --http.
 */
import type { Command } from 'commander';
import type { AgentApp } from '../agents/create-agent-runtime.js';
import type { McpServerOptions } from '../mcp/server.js';
import type { WorkflowHost } from '../mcp/workflow-tools.js';
import { ToolRegistry } from '../tools/registry.js';
import { hasConfiguredCredentials } from './aws-environment.js';
import { type CliContext, createCliContext, type GlobalOptions, settingsFrom } from './context.js';
import { EXIT, UsageError } from './exit-codes.js';
import { cliUser } from './store-commands.js';

interface McpOptions {
  http?: boolean;
  port?: string;
  host?: string;
}

const VERSION = '0.1.0';

/**
 * The workflows open the store on their first call, not at start: the embedded store belongs to
 * one process at a time, and an idle MCP server should not keep `aws-copilot chat` out of it.
 */
function lazyWorkflows(context: CliContext): { host: () => Promise<WorkflowHost>; close(): Promise<void> } {
  let opening: Promise<AgentApp> | undefined;
  let host: Promise<WorkflowHost> | undefined;
  const { settings, environment, aws } = context;
  return {
    host: () => {
      opening ??= import('../agents/create-agent-runtime.js')
        .then(({ createAgentApp }) =>
          createAgentApp({
            settings,
            aws,
            hasCredentials: async (userId) => {
              if (environment.endpointUrl || hasConfiguredCredentials(settings)) return true;
              // Asked during a turn, so the app is open by then.
              const app = await opening;
              return app ? app.vault.has(userId) : false;
            },
          }),
        )
        .catch((error: unknown) => {
          opening = undefined;
          host = undefined;
          throw error;
        });
      host ??= Promise.all([opening, import('../agents/chat-session.js')]).then(
        ([app, { ChatSessions }]) => ({
          sessions: app.sessions,
          unattended: new ChatSessions({ ...app.runtime, nonInteractive: true }),
          store: app.store,
        }),
      );
      return host;
    },
    close: async () => {
      // The shared AWS clients are destroyed with the CLI context, after this.
      const app = await opening?.catch(() => undefined);
      await app?.store.close();
    },
  };
}

function waitForStop(extra: Promise<void>[] = []): Promise<void> {
  return Promise.race([
    ...extra,
    new Promise<void>((resolve) => {
      process.once('SIGINT', () => resolve());
      process.once('SIGTERM', () => resolve());
    }),
  ]);
}

async function serve(options: McpOptions, globals: GlobalOptions): Promise<number> {
  // The MCP SDK and the catalog load when the server starts, not with every CLI command.
  const [
    { StdioServerTransport },
    { loadExternalTools },
    { isLoopback, startMcpHttpServer },
    { createMcpServer },
    { CATALOG },
  ] = await Promise.all([
    import('@modelcontextprotocol/sdk/server/stdio.js'),
    import('../mcp/client.js'),
    import('../mcp/http-transport.js'),
    import('../mcp/server.js'),
    import('../tools/catalog.js'),
  ]);
  const port = options.port === undefined ? 0 : Number(options.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(
      `--port must be an integer from 0 to 65535 (0 picks a free port), not '${options.port}'`,
    );
  if (!options.http && (options.port !== undefined || options.host !== undefined))
    throw new UsageError('--port and --host go with --http; without it the server speaks over stdio');

  const external = await loadExternalTools(settingsFrom(globals), { version: VERSION });
  for (const failure of external.failures)
    process.stderr.write(`aws-copilot: MCP server '${failure.server}' left out: ${failure.message}\n`);
  const context = await createCliContext(globals, new ToolRegistry([...CATALOG, ...external.tools]));
  const workflows = lazyWorkflows(context);
  const serverOptions: McpServerOptions = {
    runner: context.runner,
    approvals: context.approvals,
    settings: context.settings,
    userId: cliUser(),
    workflows: workflows.host,
    version: VERSION,
  };
  try {
    if (options.http) {
      const host = options.host ?? '127.0.0.1';
      if (!isLoopback(host))
        process.stderr.write(`aws-copilot: WARNING: listening on ${host}, reachable from other machines\n`);
      const http = await startMcpHttpServer({
        createServer: () => createMcpServer(serverOptions),
        host,
        port,
      });
      process.stdout.write(
        `aws-copilot MCP server (streamable HTTP)\n  url:   ${http.url}\n  token: ${http.token}\nSend "Authorization: Bearer <token>" with every request. Ctrl+C stops it.\n`,
      );
      await waitForStop();
      await http.close();
    } else {
      const server = createMcpServer(serverOptions);
      const closed = new Promise<void>((resolve) => {
        server.onclose = () => resolve();
        // The client closing our stdin is the end of the session.
        process.stdin.once('end', () => resolve());
      });
      await server.connect(new StdioServerTransport());
      await waitForStop([closed]);
      await server.close();
    }
  } finally {
    await workflows.close();
    await external.close();
    context.close();
  }
  return EXIT.ok;
}

export function registerMcpCommand(
  program: Command,
  run: (work: () => Promise<number>) => Promise<void>,
): void {
  program
    .command('mcp')
    .description(
      'serve the tool catalog and the workflows to MCP clients (Claude Desktop, Cursor...): stdio, or streamable HTTP with --http',
    )
    .option('--http', 'serve over streamable HTTP with a bearer token instead of stdio')
    .option('--port <port>', 'HTTP port (default: a free port)')
    .option('--host <host>', 'HTTP address to listen on (default: 127.0.0.1, this machine only)')
    .action((options: McpOptions, command: Command) =>
      run(() => serve(options, command.optsWithGlobals() as GlobalOptions)),
    );
}
