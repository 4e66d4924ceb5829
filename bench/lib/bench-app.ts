/**
 * The product as `aws-copilot chat` assembles it (embedded PGlite store on disk, the model the
 * environment names, the tool runner, the deploy and ECS graphs), pointed at the sandbox, for the
 * benchmarks that drive whole conversations.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type AgentApp, createAgentApp } from '../../src/agents/create-agent-runtime.js';
import { loadSettings, type Settings, type SettingsInput } from '../../src/config/settings.js';
import { SANDBOX_CREDENTIALS } from '../../src/sandbox/sandbox.js';
import { type AwsClientFactory, createAwsClientFactory } from '../../src/tools/aws/clients.js';

export interface BenchApp {
  app: AgentApp;
  settings: Settings;
  /** The factory the agents' tools use (after `wrapAws`, when one was given). */
  aws: AwsClientFactory;
  close(): Promise<void>;
}

export interface OpenBenchAppOptions {
  sandboxEndpoint: string;
  /** Holds the workspace (`<root>/workspace`) and the data folder (`<root>/data`, the store). */
  root: string;
  settings?: SettingsInput;
  /** Lets a benchmark watch the agents' AWS clients (e.g. record every SDK command). */
  wrapAws?: (factory: AwsClientFactory) => AwsClientFactory;
}

export async function openBenchApp(options: OpenBenchAppOptions): Promise<BenchApp> {
  const workspace = join(options.root, 'workspace');
  await mkdir(workspace, { recursive: true });
  // No config file and no environment: the figures must not depend on the machine's settings.
  const settings = loadSettings(
    {
      region: 'us-east-1',
      endpointUrl: options.sandboxEndpoint,
      workspace,
      dataDir: join(options.root, 'data'),
      ...options.settings,
    },
    { env: {}, configPath: false },
  );
  const plain = createAwsClientFactory({ settings, credentials: SANDBOX_CREDENTIALS });
  const aws = options.wrapAws ? options.wrapAws(plain) : plain;
  const app = await createAgentApp({ settings, aws, hasCredentials: async () => true });
  return { app, settings, aws, close: () => app.close() };
}
