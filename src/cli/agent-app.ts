/** The product assembled for a command that talks to the agents (chat, serve): app, AWS clients, vault. */
import { type AgentApp, createAgentApp } from '../agents/create-agent-runtime.js';
import type { Settings } from '../config/settings.js';
import type { CredentialVault } from '../store/vault/credential-vault.js';
import { openVault } from '../store/vault/open-vault.js';
import { type AwsClientFactory, createAwsClientFactory } from '../tools/aws/clients.js';
import { type AwsEnvironment, hasConfiguredCredentials } from './aws-environment.js';

export interface OpenedAgentApp {
  app: AgentApp;
  aws: AwsClientFactory;
  vault: CredentialVault;
  /** The settings with the endpoint the environment chose. */
  settings: Settings;
}

export async function openAgentApp(base: Settings, environment: AwsEnvironment): Promise<OpenedAgentApp> {
  const settings = { ...base, ...(environment.endpointUrl ? { endpointUrl: environment.endpointUrl } : {}) };
  const aws = createAwsClientFactory({
    settings,
    ...(environment.credentials ? { credentials: environment.credentials } : {}),
  });
  const app = await createAgentApp({
    settings,
    aws,
    // Asked during a turn, once the vault below exists.
    hasCredentials: async (userId) =>
      Boolean(environment.endpointUrl) || hasConfiguredCredentials(settings) || vault.has(userId),
  });
  const vault = openVault(app.store.credentials, settings, settings.kmsKeyId ? aws : undefined);
  return { app, aws, vault, settings };
}
