/** The product assembled for a command that talks to the agents (chat, serve): app, AWS clients, vault. */
import { type AgentApp, createAgentApp } from '../agents/create-agent-runtime.js';
import type { Settings } from '../config/settings.js';
import type { CredentialVault } from '../store/vault/credential-vault.js';
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
    // Asked during a turn, once the app (and its vault) exists. Against real AWS with neither the
    // server's nor the person's own credentials, the deploy workflow asks for them.
    hasCredentials: async (userId) =>
      Boolean(environment.endpointUrl) || hasConfiguredCredentials(settings) || app.vault.has(userId),
  });
  return { app, aws, vault: app.vault, settings };
}
