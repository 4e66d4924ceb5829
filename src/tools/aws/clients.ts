/**
 * The one place AWS SDK clients are built. Every request made by any client passes through the
 * per-user rate limiter and is recorded (action, AWS request id) in the current tool call's scope.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { createRequire } from 'node:module';
import type * as LogsSdk from '@aws-sdk/client-cloudwatch-logs';
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type * as Ec2Sdk from '@aws-sdk/client-ec2';
import type { EC2Client } from '@aws-sdk/client-ec2';
import type * as EcsSdk from '@aws-sdk/client-ecs';
import type { ECSClient } from '@aws-sdk/client-ecs';
import type * as KmsSdk from '@aws-sdk/client-kms';
import type { KMSClient } from '@aws-sdk/client-kms';
import type * as LambdaSdk from '@aws-sdk/client-lambda';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type * as S3Sdk from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';
import type * as StsSdk from '@aws-sdk/client-sts';
import type { STSClient } from '@aws-sdk/client-sts';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import type { Settings } from '../../config/settings.js';
import { RateLimiter } from '../rate-limiter.js';
import { createUserCredentials, type UserCredentialLookup } from './user-credentials.js';

/** One AWS request as the audit trail sees it. */
export interface AwsCallRecord {
  service: string;
  operation: string;
  requestId?: string;
  httpStatus?: number;
  errorCode?: string;
}

/** What the middleware needs to know about the tool call in progress. */
export interface AwsCallScope {
  userId: string;
  signal?: AbortSignal;
  calls: AwsCallRecord[];
}

const callScope = new AsyncLocalStorage<AwsCallScope>();

/** Runs `work` with every AWS request inside it attributed to `scope`. */
export function withAwsCallScope<T>(scope: AwsCallScope, work: () => Promise<T>): Promise<T> {
  return callScope.run(scope, work);
}

export type AwsCredentials = AwsCredentialIdentity | AwsCredentialIdentityProvider;

export interface AwsClientFactory {
  readonly endpointUrl: string | undefined;
  readonly defaultRegion: string;
  ec2(region?: string): EC2Client;
  s3(region?: string): S3Client;
  lambda(region?: string): LambdaClient;
  ecs(region?: string): ECSClient;
  logs(region?: string): CloudWatchLogsClient;
  sts(region?: string): STSClient;
  /** KMS, for the credential vault's master key when AWS_COPILOT_KMS_KEY_ID is set. */
  kms(region?: string): KMSClient;
  /**
   * The clients for one person's calls: signed with that person's own `default` vault credential
   * when they have one, else with the server's. A factory without per-user credentials gives the server's.
   */
  forUser(userId: string): AwsClientFactory;
  /** A factory (sharing settings and rate limits) whose `forUser` views take credentials from `lookup`. */
  withUserCredentials(lookup: UserCredentialLookup): AwsClientFactory;
  /** Releases sockets held by cached clients (this factory's own; a derived one has its own). */
  destroy(): void;
}

export interface AwsClientFactoryOptions {
  settings: Pick<Settings, 'region' | 'profile' | 'endpointUrl' | 'awsRequestsPerSecond' | 'awsMaxAttempts'>;
  /** The server's own credentials (the sandbox's dummy ones); when absent the standard provider chain. */
  credentials?: AwsCredentials;
  /** Shared limiter, so every factory of the process counts against the same per-user budget. */
  limiter?: RateLimiter;
}

/**
 * Each client class is required the first time a client of its service is built, not when this
 * module loads: importing a client package takes 0.1-1 s, and the runner, the MCP server and the
 * CLI load this module before knowing whether any AWS call will be made. `require`, because the
 * getters are synchronous (tools, test fixtures and SDK waiters call them inline). The packages
 * are CommonJS, so this and the tools' `import()` (sdk.ts) share one module instance: the same
 * classes and error types.
 */
const require = createRequire(import.meta.url);
const clientClasses = {
  ec2: () => (require('@aws-sdk/client-ec2') as typeof Ec2Sdk).EC2Client,
  s3: () => (require('@aws-sdk/client-s3') as typeof S3Sdk).S3Client,
  lambda: () => (require('@aws-sdk/client-lambda') as typeof LambdaSdk).LambdaClient,
  ecs: () => (require('@aws-sdk/client-ecs') as typeof EcsSdk).ECSClient,
  logs: () => (require('@aws-sdk/client-cloudwatch-logs') as typeof LogsSdk).CloudWatchLogsClient,
  sts: () => (require('@aws-sdk/client-sts') as typeof StsSdk).STSClient,
  kms: () => (require('@aws-sdk/client-kms') as typeof KmsSdk).KMSClient,
};

type AnyClient =
  | EC2Client
  | S3Client
  | LambdaClient
  | ECSClient
  | CloudWatchLogsClient
  | STSClient
  | KMSClient;

interface MiddlewareArgs {
  input: unknown;
}
interface MiddlewareContext {
  commandName?: string;
  clientName?: string;
}

function instrument(client: AnyClient, service: string, limiter: RateLimiter): void {
  const stack = client.middlewareStack as unknown as {
    add: (middleware: unknown, options: Record<string, unknown>) => void;
    addRelativeTo: (middleware: unknown, options: Record<string, unknown>) => void;
  };
  // Outermost: one audit record per logical call, with the final request id.
  stack.add(
    (
      next: (
        args: MiddlewareArgs,
      ) => Promise<{ output: { $metadata?: { requestId?: string; httpStatusCode?: number } } }>,
      context: MiddlewareContext,
    ) =>
      async (args: MiddlewareArgs) => {
        const scope = callScope.getStore();
        const record: AwsCallRecord = {
          service,
          operation: (context.commandName ?? 'Unknown').replace(/Command$/, ''),
        };
        scope?.calls.push(record);
        try {
          const result = await next(args);
          const metadata = result.output?.$metadata;
          if (metadata?.httpStatusCode === undefined) {
            // Presigning runs the stack without sending anything: not an AWS call.
            scope?.calls.splice(scope.calls.indexOf(record), 1);
            return result;
          }
          record.requestId = metadata.requestId;
          record.httpStatus = metadata.httpStatusCode;
          return result;
        } catch (error) {
          const failure = error as {
            name?: string;
            $metadata?: { requestId?: string; httpStatusCode?: number };
          };
          record.requestId = failure.$metadata?.requestId;
          record.httpStatus = failure.$metadata?.httpStatusCode;
          record.errorCode = failure.name;
          throw error;
        }
      },
    { step: 'initialize', priority: 'high', name: 'awsCopilotAuditMiddleware' },
  );
  // Inside the retry loop: every HTTP attempt, retries included, spends one token of the user's budget.
  stack.addRelativeTo(
    (next: (args: MiddlewareArgs) => Promise<unknown>) => async (args: MiddlewareArgs) => {
      const scope = callScope.getStore();
      await limiter.acquire(scope?.userId ?? 'anonymous', scope?.signal);
      return next(args);
    },
    { relation: 'after', toMiddleware: 'retryMiddleware', name: 'awsCopilotRateLimitMiddleware' },
  );
}

/** What every view of one factory shares; `userProvider` is set only on a factory with per-user credentials. */
interface FactoryParts {
  settings: AwsClientFactoryOptions['settings'];
  limiter: RateLimiter;
  /** The server's credentials: the provider chain, or those given (the sandbox's dummy ones). */
  serverCredentials: AwsCredentials;
  userProvider?: (userId: string) => AwsCredentialIdentityProvider;
  /** Keyed by user id as well as service and region, so no client ever signs for two people. */
  cache: Map<string, AnyClient>;
}

/**
 * Clients kept per factory: one per person, service and region in use. A server that many people
 * use over weeks would otherwise keep a client for everyone who ever made a call.
 */
export const MAX_CACHED_CLIENTS = 512;

/**
 * Makes room for one more client. The dropped client is not destroyed: a call may still be using
 * it (a waiter polling for minutes), and once that ends nothing refers to it; its idle keep-alive
 * sockets close on their own and the collector takes the rest.
 */
function forgetLeastRecentlyUsed(cache: Map<string, AnyClient>): void {
  for (const key of cache.keys()) {
    if (cache.size < MAX_CACHED_CLIENTS) return;
    cache.delete(key);
  }
}

function factoryView(parts: FactoryParts, userId: string | undefined): AwsClientFactory {
  const { settings } = parts;
  const owner = userId !== undefined && parts.userProvider ? userId : undefined;
  // One provider per view: each client of a person asks the vault when a request is signed.
  const credentials = owner === undefined ? parts.serverCredentials : parts.userProvider?.(owner);

  const common = (region: string) => ({
    region,
    credentials,
    maxAttempts: settings.awsMaxAttempts,
    retryMode: 'adaptive' as const,
    ...(settings.endpointUrl ? { endpoint: settings.endpointUrl } : {}),
  });

  function cached<C extends AnyClient>(
    service: string,
    region: string | undefined,
    build: (region: string) => C,
  ): C {
    const resolved = region ?? settings.region;
    const key = JSON.stringify([owner ?? null, service, resolved]);
    let client = parts.cache.get(key) as C | undefined;
    // Map order is use order: the entry used now moves to the end, the least recently used is first.
    parts.cache.delete(key);
    if (!client) {
      client = build(resolved);
      instrument(client, service, parts.limiter);
      forgetLeastRecentlyUsed(parts.cache);
    }
    parts.cache.set(key, client);
    return client;
  }

  return {
    endpointUrl: settings.endpointUrl,
    defaultRegion: settings.region,
    ec2: (region) => cached('ec2', region, (r) => new (clientClasses.ec2())(common(r))),
    // Path-style addressing: custom endpoints (the sandbox, LocalStack) have no per-bucket DNS names.
    s3: (region) =>
      cached(
        's3',
        region,
        (r) => new (clientClasses.s3())({ ...common(r), forcePathStyle: Boolean(settings.endpointUrl) }),
      ),
    lambda: (region) => cached('lambda', region, (r) => new (clientClasses.lambda())(common(r))),
    ecs: (region) => cached('ecs', region, (r) => new (clientClasses.ecs())(common(r))),
    logs: (region) => cached('logs', region, (r) => new (clientClasses.logs())(common(r))),
    sts: (region) => cached('sts', region, (r) => new (clientClasses.sts())(common(r))),
    kms: (region) => cached('kms', region, (r) => new (clientClasses.kms())(common(r))),
    forUser: (id) => factoryView(parts, id),
    withUserCredentials: (lookup) => {
      const fallback = parts.serverCredentials;
      return factoryView(
        {
          ...parts,
          cache: new Map(),
          userProvider: createUserCredentials({
            lookup,
            fallback: typeof fallback === 'function' ? fallback : async () => fallback,
            sts: {
              region: settings.region,
              ...(settings.endpointUrl ? { endpoint: settings.endpointUrl } : {}),
            },
          }),
        },
        undefined,
      );
    },
    destroy: () => {
      for (const client of parts.cache.values()) client.destroy();
      parts.cache.clear();
    },
  };
}

export function createAwsClientFactory(options: AwsClientFactoryOptions): AwsClientFactory {
  const { settings } = options;
  return factoryView(
    {
      settings,
      limiter: options.limiter ?? new RateLimiter(settings.awsRequestsPerSecond),
      serverCredentials:
        options.credentials ?? fromNodeProviderChain(settings.profile ? { profile: settings.profile } : {}),
      cache: new Map(),
    },
    undefined,
  );
}
