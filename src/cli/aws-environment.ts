/**
 * Decides which AWS the CLI talks to: an explicit endpoint, real AWS through the standard
 * credential chain, or the local sandbox when no credentials are configured and one is running.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Settings } from '../config/settings.js';
import { SANDBOX_CREDENTIALS } from '../sandbox/sandbox.js';
import type { AwsCredentials } from '../tools/aws/clients.js';

export interface SandboxState {
  endpointUrl: string;
  pid: number;
  startedAt: string;
}

export interface AwsEnvironment {
  endpointUrl?: string;
  credentials?: AwsCredentials;
  /** True when calls go to the local emulator, never to real AWS. */
  sandbox: boolean;
}

export function sandboxStatePath(settings: Pick<Settings, 'dataDir'>): string {
  return join(settings.dataDir, 'sandbox.json');
}

export async function writeSandboxState(
  settings: Pick<Settings, 'dataDir'>,
  state: SandboxState,
): Promise<void> {
  await mkdir(settings.dataDir, { recursive: true, mode: 0o700 });
  await writeFile(sandboxStatePath(settings), `${JSON.stringify(state)}\n`, { mode: 0o600 });
}

export async function clearSandboxState(settings: Pick<Settings, 'dataDir'>, pid: number): Promise<void> {
  const current = await readSandboxState(settings);
  if (current?.pid === pid) await rm(sandboxStatePath(settings), { force: true });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The sandbox started by `aws-copilot sandbox`, if it is still running. */
export async function readSandboxState(
  settings: Pick<Settings, 'dataDir'>,
): Promise<SandboxState | undefined> {
  try {
    const state = JSON.parse(await readFile(sandboxStatePath(settings), 'utf8')) as SandboxState;
    return isAlive(state.pid) ? state : undefined;
  } catch {
    return undefined;
  }
}

/** True when the environment names credentials explicitly (variables, profile, shared files, web identity, containers). */
export function hasConfiguredCredentials(
  settings: Pick<Settings, 'profile'>,
  env: NodeJS.ProcessEnv = process.env,
): boolean {
  if (env.AWS_ACCESS_KEY_ID || settings.profile || env.AWS_WEB_IDENTITY_TOKEN_FILE) return true;
  if (env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI || env.AWS_CONTAINER_CREDENTIALS_FULL_URI) return true;
  const credentialsFile = env.AWS_SHARED_CREDENTIALS_FILE || join(homedir(), '.aws', 'credentials');
  const configFile = env.AWS_CONFIG_FILE || join(homedir(), '.aws', 'config');
  return existsSync(credentialsFile) || existsSync(configFile);
}

export async function resolveAwsEnvironment(
  settings: Settings,
  options: { forceSandbox?: boolean; env?: NodeJS.ProcessEnv } = {},
): Promise<AwsEnvironment> {
  const env = options.env ?? process.env;
  const wantsSandbox = options.forceSandbox || env.AWS_COPILOT_SANDBOX === '1';
  if (!wantsSandbox && settings.endpointUrl) {
    // A custom endpoint (LocalStack, a sandbox started elsewhere) accepts any credentials.
    return {
      endpointUrl: settings.endpointUrl,
      ...(hasConfiguredCredentials(settings, env) ? {} : { credentials: SANDBOX_CREDENTIALS }),
      sandbox: false,
    };
  }
  if (!wantsSandbox && hasConfiguredCredentials(settings, env)) return { sandbox: false };
  const state = await readSandboxState(settings);
  if (state) return { endpointUrl: state.endpointUrl, credentials: SANDBOX_CREDENTIALS, sandbox: true };
  if (wantsSandbox) {
    throw new Error("no sandbox is running: start one with 'aws-copilot sandbox' in another terminal");
  }
  // Nothing configured and no sandbox: the chain may still find an instance role; if not, the
  // first AWS call fails with a message that says how to configure credentials.
  return { sandbox: false };
}
