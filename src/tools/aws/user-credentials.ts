/**
 * Each person's own AWS credentials, looked up in the vault when an AWS request is signed: an
 * access key as stored, or a role assumed through STS with a source credential; a person with
 * none gets the server's credentials (its provider chain, or the sandbox's dummy ones).
 */
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { CopilotError } from '../../errors/copilot-error.js';
import { redactor } from '../../guardrails/redaction.js';
import type { CredentialInput } from '../../protocol/credentials.js';

/** Decrypts one of a person's stored credentials for immediate use (the vault's `resolve`). */
export type UserCredentialLookup = (userId: string, name: string) => Promise<CredentialInput | undefined>;

export interface UserCredentialOptions {
  lookup: UserCredentialLookup;
  /** The server's own credentials: for people with none, and the default source to assume a role with. */
  fallback: AwsCredentialIdentityProvider;
  /** Where STS AssumeRole goes: the configured region and endpoint (the sandbox included). */
  sts: { region: string; endpoint?: string };
}

/** The credential every AWS call of a person uses. */
const DEFAULT_CREDENTIAL = 'default';
/** Assumed-role sessions are renewed this long before they expire, as the SDK does for its own. */
const RENEW_BEFORE_MS = 5 * 60_000;
const ASSUMED_ROLE_SECONDS = 3600;

type AssumeRole = Extract<CredentialInput, { kind: 'assume-role' }>;

interface RoleSession {
  /** The stored credential the session came from: a changed role or source starts a new one. */
  key: string;
  assume: AwsCredentialIdentityProvider;
  current?: AwsCredentialIdentity;
}

/**
 * An identity marked as already expiring, so the SDK asks the provider again for the next request
 * instead of keeping it: a credential deleted or replaced in the vault stops being used at once,
 * and no client holds a decrypted key between calls.
 */
function justInTime(identity: AwsCredentialIdentity): AwsCredentialIdentity {
  return {
    accessKeyId: identity.accessKeyId,
    secretAccessKey: identity.secretAccessKey,
    ...(identity.sessionToken ? { sessionToken: identity.sessionToken } : {}),
    expiration: new Date(),
  };
}

/**
 * Marks a provider as one the SDK must not memoize (its client config honours the `memoized` flag),
 * so no client keeps the last decrypted identity between requests; `justInTime` covers any layer
 * that memoizes anyway.
 */
function askedEveryTime(provider: AwsCredentialIdentityProvider): AwsCredentialIdentityProvider {
  return Object.assign(provider, { memoized: true });
}

function accessKeyIdentity(input: Extract<CredentialInput, { kind: 'access-key' }>): AwsCredentialIdentity {
  return {
    accessKeyId: input.access_key_id,
    secretAccessKey: input.secret_access_key,
    ...(input.session_token ? { sessionToken: input.session_token } : {}),
  };
}

/** STS allows letters, digits and `+=,.@-` in a session name, up to 64 characters. */
function roleSessionName(userId: string): string {
  return `aws-copilot-${userId.replace(/[^\w+=,.@-]/g, '-')}`.slice(0, 64);
}

/** Returns the provider of one person's credentials; the clients built with it are that person's only. */
export function createUserCredentials(
  options: UserCredentialOptions,
): (userId: string) => AwsCredentialIdentityProvider {
  const roleSessions = new Map<string, RoleSession>();

  /** The credential a role is assumed with: another stored one of the same person, or the server's. */
  const sourceOf = (userId: string, source: string | undefined): AwsCredentialIdentityProvider => {
    if (!source) return askedEveryTime(async () => justInTime(await options.fallback()));
    return askedEveryTime(async () => {
      const stored = await options.lookup(userId, source);
      if (stored?.kind !== 'access-key')
        throw new CopilotError(
          'config_invalid',
          `the role credential names source '${source}', which is not a stored access key: store one with aws-copilot credentials set --name ${source}`,
        );
      return justInTime(accessKeyIdentity(stored));
    });
  };

  const assumed = async (userId: string, stored: AssumeRole): Promise<AwsCredentialIdentity> => {
    const key = JSON.stringify([stored.role_arn, stored.external_id ?? null, stored.source ?? null]);
    let session = roleSessions.get(userId);
    if (session?.key !== key) {
      session = {
        key,
        assume: fromTemporaryCredentials({
          params: {
            RoleArn: stored.role_arn,
            RoleSessionName: roleSessionName(userId),
            DurationSeconds: ASSUMED_ROLE_SECONDS,
            ...(stored.external_id ? { ExternalId: stored.external_id } : {}),
          },
          masterCredentials: sourceOf(userId, stored.source),
          clientConfig: {
            region: options.sts.region,
            ...(options.sts.endpoint ? { endpoint: options.sts.endpoint } : {}),
          },
        }),
      };
      roleSessions.set(userId, session);
    }
    const expiresAt = session.current?.expiration?.getTime() ?? 0;
    if (!session.current || expiresAt - Date.now() < RENEW_BEFORE_MS) {
      const fresh = await session.assume();
      redactor.addSecrets(
        [fresh.secretAccessKey, ...(fresh.sessionToken ? [fresh.sessionToken] : [])],
        fresh.expiration ? { expiresAt: fresh.expiration } : {},
      );
      session.current = fresh;
    }
    return session.current;
  };

  return (userId) =>
    askedEveryTime(async () => {
      const stored = await options.lookup(userId, DEFAULT_CREDENTIAL);
      if (stored?.kind !== 'assume-role') roleSessions.delete(userId);
      if (!stored) return justInTime(await options.fallback());
      return justInTime(
        stored.kind === 'access-key' ? accessKeyIdentity(stored) : await assumed(userId, stored),
      );
    });
}
