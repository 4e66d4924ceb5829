/**
 * `aws-copilot serve`: the API, the `/ws/agent` WebSocket and the web UI in one process. With no
 * settings it runs on the embedded store, the offline model and the AWS sandbox (started here when
 * no credentials or endpoint are configured), on loopback, single-user behind a random token.
 */
import { randomBytes } from 'node:crypto';
import type { Command } from 'commander';
import type { Settings } from '../config/settings.js';
import { redactor } from '../guardrails/redaction.js';
import { SANDBOX_CREDENTIALS, type Sandbox, startSandbox } from '../sandbox/sandbox.js';
import type { AuthMode } from '../server/auth.js';
import {
  type AwsEnvironment,
  hasConfiguredCredentials,
  readSandboxState,
  resolveAwsEnvironment,
} from './aws-environment.js';
import { type GlobalOptions, settingsFrom } from './context.js';
import { EXIT, UsageError } from './exit-codes.js';
import { cliUser } from './store-commands.js';

interface ServeOptions {
  port?: string;
  host?: string;
  multiUser?: boolean;
}

function serverSettings(options: ServeOptions, globals: GlobalOptions): Settings {
  const base = settingsFrom(globals);
  const port = options.port === undefined ? base.serverPort : Number(options.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(
      `--port must be an integer from 0 to 65535 (0 picks a free port), not '${options.port}'`,
    );
  return {
    ...base,
    serverPort: port,
    serverHost: options.host ?? base.serverHost,
    serverMultiUser:
      Boolean(options.multiUser) || base.serverMultiUser || Boolean(base.serverTrustedUserHeader),
  };
}

/**
 * The AWS the server talks to: as every command decides, except that with nothing configured and
 * no sandbox running it starts its own, so the first `serve` works without an AWS account.
 */
async function awsEnvironment(
  settings: Settings,
  globals: GlobalOptions,
): Promise<{ environment: AwsEnvironment; sandbox?: Sandbox }> {
  const forced = Boolean(globals.sandbox) || process.env.AWS_COPILOT_SANDBOX === '1';
  const configured = Boolean(settings.endpointUrl) || hasConfiguredCredentials(settings);
  if ((configured && !forced) || (await readSandboxState(settings)))
    return { environment: await resolveAwsEnvironment(settings, { forceSandbox: forced }) };
  const sandbox = await startSandbox({ onProgress: (line) => process.stderr.write(`[sandbox] ${line}\n`) });
  return {
    environment: { endpointUrl: sandbox.endpointUrl, credentials: SANDBOX_CREDENTIALS, sandbox: true },
    sandbox,
  };
}

function waitForStop(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}

async function serve(options: ServeOptions, globals: GlobalOptions): Promise<number> {
  const base = serverSettings(options, globals);
  // The server and the agents load when `serve` runs, not with every CLI command.
  const [{ buildServer }, { isLoopbackHost }, { sandboxBanner }, { openAgentApp }] = await Promise.all([
    import('../server/app.js'),
    import('../server/request-gate.js'),
    import('../server/routes/health.js'),
    import('./agent-app.js'),
  ]);
  const { environment, sandbox } = await awsEnvironment(base, globals);
  const { app, vault, settings } = await openAgentApp(base, environment);
  const token = randomBytes(24).toString('base64url');
  // The token must never reach a log line or an event.
  redactor.addSecrets([token]);
  const user = cliUser();
  const auth: AuthMode = settings.serverMultiUser
    ? {
        kind: 'multi-user',
        ...(settings.serverTrustedUserHeader ? { trustedUserHeader: settings.serverTrustedUserHeader } : {}),
      }
    : { kind: 'single-user', token, user: { id: user, name: user } };
  const server = await buildServer({
    chat: app.sessions,
    store: app.store,
    vault,
    auth,
    host: settings.serverHost,
    allowedOrigins: settings.serverAllowedOrigins,
    rateLimitPerMinute: settings.serverRateLimit,
    trustProxy: Boolean(settings.serverTrustedUserHeader),
    ...(environment.sandbox && environment.endpointUrl ? { sandboxEndpoint: environment.endpointUrl } : {}),
  });
  try {
    const address = await server.listen({ host: settings.serverHost, port: settings.serverPort });
    const lines = [`aws-copilot server (${auth.kind}, ${app.store.kind} store)`];
    lines.push(
      auth.kind === 'single-user'
        ? `  open: ${address}/?token=${token}`
        : `  open: ${address}/  (accounts: aws-copilot users add NAME${auth.trustedUserHeader ? `; identity from the ${auth.trustedUserHeader} header` : ''})`,
    );
    if (environment.sandbox && environment.endpointUrl) lines.push(sandboxBanner(environment.endpointUrl));
    if (!isLoopbackHost(settings.serverHost))
      lines.push(
        `WARNING: listening on ${settings.serverHost}, reachable from other machines; put TLS in front`,
      );
    lines.push('Ctrl+C stops it.', '');
    // The start-up URL goes to stdout only: it is the key to this server.
    process.stdout.write(lines.join('\n'));
    await waitForStop();
  } finally {
    await server.close();
    await app.close();
    await sandbox?.stop();
  }
  return EXIT.ok;
}

export function registerServeCommand(
  program: Command,
  run: (work: () => Promise<number>) => Promise<void>,
): void {
  program
    .command('serve')
    .description(
      'serve the web UI, the REST API and the /ws/agent WebSocket (single-user on loopback by default)',
    )
    .option('--port <port>', 'port to listen on (env AWS_COPILOT_PORT; default 8765; 0 picks a free one)')
    .option(
      '--host <host>',
      'address to listen on (env AWS_COPILOT_HOST; default 127.0.0.1, this machine only)',
    )
    .option(
      '--multi-user',
      'accounts with passwords instead of the start-up token (env AWS_COPILOT_MULTI_USER)',
    )
    .action((options: ServeOptions, command: Command) =>
      run(() => serve(options, command.optsWithGlobals() as GlobalOptions)),
    );
}
