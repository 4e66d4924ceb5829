/** The environment a workspace command sees: the parent's, minus every credential, plus what the call asks. */
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';

/**
 * Names whose values are credentials or grant access: every AWS_* variable (the copilot's own
 * AWS session and settings), tokens, secrets, passwords, API keys, and the SSH agent socket
 * (which would let `git push` act as the person).
 */
const CREDENTIAL_NAME =
  /^AWS_|(?:^|_)(?:TOKEN|AUTH|AUTH_?TOKEN|SECRET|SECRETS|PASSWORD|PASSWD|PASSPHRASE|CREDENTIALS?|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY)(?:_|$)|^(?:SSH_AUTH_SOCK|GPG_AGENT_INFO)$/i;

/** Names a call may not set: they would change which program an allow-listed name runs. */
const HIJACKING_NAME = /^(?:PATH|LD_[A-Z_]+|DYLD_[A-Z_]+)$/i;

export function isCredentialName(name: string): boolean {
  return CREDENTIAL_NAME.test(name);
}

/** Why a caller-given variable is refused, or undefined when it may be passed. */
export function refusedEnvReason(name: string): string | undefined {
  if (HIJACKING_NAME.test(name)) return `${name} would change which executable runs; it cannot be set`;
  if (isCredentialName(name))
    return `${name} looks like a credential; commands never receive credentials (keep secrets in the vault)`;
  return undefined;
}

/**
 * The child's environment: `parent` without credential variables and without `unset`, then
 * `extra` on top (callers validate `extra` with refusedEnvReason first; tools add their own).
 */
export function childEnvironment(
  parent: NodeJS.ProcessEnv,
  extra: Record<string, string> = {},
  unset: readonly string[] = [],
): NodeJS.ProcessEnv {
  const removed = new Set(unset.map((name) => name.toUpperCase()));
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(parent)) {
    if (value === undefined || isCredentialName(name) || removed.has(name.toUpperCase())) continue;
    env[name] = value;
  }
  return { ...env, ...extra };
}

export function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/**
 * Absolute path of `name` in the absolute directories of `pathValue`; relative entries (`.`, ``)
 * are skipped so a file planted in the workspace never stands in for an allowed command.
 */
export function findOnPath(name: string, pathValue: string | undefined): string | undefined {
  const suffixes = process.platform === 'win32' ? ['.exe', '.cmd', '.bat', ''] : [''];
  for (const directory of (pathValue ?? '').split(delimiter)) {
    if (!directory || !isAbsolute(directory)) continue;
    for (const suffix of suffixes) {
      const candidate = join(directory, `${name}${suffix}`);
      if (isExecutableFile(candidate)) return candidate;
    }
  }
  return undefined;
}
