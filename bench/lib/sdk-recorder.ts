/**
 * Records every AWS SDK command the agents send (client, region, command, a copy of the input,
 * outcome, timing) and replays the same sequence with plain SDK clients: the baseline of the
 * deploy benchmark is "the same calls in the same order", taken from the agents' own run.
 */
import type { AwsClientFactory } from '../../src/tools/aws/clients.js';

export interface RecordedCommand {
  /** The SDK client class, e.g. `LambdaClient`. */
  client: string;
  region: string;
  /** e.g. `CreateFunctionCommand`. */
  command: string;
  input: unknown;
  /** The AWS error name when the call failed (GetFunction of a function not created yet). */
  errorName?: string;
  startMs: number;
  endMs: number;
}

type Middleware = (
  next: (args: { input: unknown }) => Promise<unknown>,
  context: { commandName?: string },
) => (args: { input: unknown }) => Promise<unknown>;

interface WatchableClient {
  middlewareStack: { add(middleware: Middleware, options: Record<string, unknown>): void };
  config: { region: string | (() => Promise<string>) };
}

function isClient(value: unknown): value is WatchableClient {
  return typeof value === 'object' && value !== null && 'middlewareStack' in value && 'send' in value;
}

function isFactory(value: unknown): value is AwsClientFactory {
  return typeof value === 'object' && value !== null && 'lambda' in value && 'destroy' in value;
}

/**
 * A view of `inner` whose SDK clients (and those of the factories it derives, per user) append
 * each command they send to `log`. The clients stay the product's own, middleware included.
 */
export function recordingFactory(inner: AwsClientFactory, log: RecordedCommand[]): AwsClientFactory {
  const watched = new WeakSet<object>();
  const views = new WeakMap<object, object>();
  const watch = (client: WatchableClient): void => {
    if (watched.has(client)) return;
    watched.add(client);
    const name = client.constructor.name;
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const region = client.config.region;
        const entry: RecordedCommand = {
          client: name,
          region: typeof region === 'function' ? await region() : region,
          command: context.commandName ?? 'Unknown',
          input: structuredClone(args.input),
          startMs: performance.now(),
          endMs: 0,
        };
        log.push(entry);
        try {
          return await next(args);
        } catch (error) {
          entry.errorName = (error as Error).name;
          throw error;
        } finally {
          entry.endMs = performance.now();
        }
      },
      // Outside everything, the product's rate limiter and audit included: the call as the tool sees it.
      { step: 'initialize', priority: 'high', name: 'benchRecorder' },
    );
  };
  const view = <T extends object>(target: T): T => {
    const existing = views.get(target);
    if (existing) return existing as T;
    const proxy = new Proxy(target, {
      get(object, property) {
        const value = Reflect.get(object, property, object);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          const result = value.apply(object, args);
          if (isClient(result)) watch(result);
          return isFactory(result) ? view(result) : result;
        };
      },
    });
    views.set(target, proxy);
    return proxy;
  };
  return view(inner);
}

/** Where each client class lives, so a replay builds plain clients and commands by name. */
const SDK_MODULES: Record<string, () => Promise<Record<string, unknown>>> = {
  LambdaClient: () => import('@aws-sdk/client-lambda'),
  STSClient: () => import('@aws-sdk/client-sts'),
  S3Client: () => import('@aws-sdk/client-s3'),
  EC2Client: () => import('@aws-sdk/client-ec2'),
  ECSClient: () => import('@aws-sdk/client-ecs'),
  CloudWatchLogsClient: () => import('@aws-sdk/client-cloudwatch-logs'),
};

type SdkClient = { send(command: unknown): Promise<unknown>; destroy(): void };
type Constructor<T> = new (input: unknown) => T;

export interface ReplayOptions {
  endpoint: string;
  credentials: () => Promise<{ accessKeyId: string; secretAccessKey: string }>;
  /** Rewrites each recorded input (new resource names, the baseline's own package bytes). */
  rewrite: (input: unknown, command: RecordedCommand) => unknown;
}

/** The SDK modules and classes a replay needs, loaded before the clock starts. */
export async function loadReplayClasses(commands: RecordedCommand[]) {
  const classes = new Map<string, Constructor<unknown>>();
  for (const recorded of commands) {
    const load = SDK_MODULES[recorded.client];
    if (!load) throw new Error(`no SDK module known for ${recorded.client}`);
    const module = await load();
    for (const name of [recorded.client, recorded.command]) {
      const found = module[name];
      if (typeof found !== 'function') throw new Error(`${name} is not exported by the SDK module`);
      classes.set(name, found as Constructor<unknown>);
    }
  }
  return classes;
}

/**
 * Sends the recorded commands in order with plain clients (default retries, no limiter, no
 * middleware of ours). A call the agents saw fail must fail the same way here, and vice versa.
 */
export async function replayCommands(
  commands: RecordedCommand[],
  classes: Map<string, Constructor<unknown>>,
  options: ReplayOptions,
): Promise<void> {
  const clients = new Map<string, SdkClient>();
  const clientFor = (recorded: RecordedCommand): SdkClient => {
    const key = `${recorded.client}:${recorded.region}`;
    let client = clients.get(key);
    if (!client) {
      const Client = classes.get(recorded.client) as Constructor<SdkClient>;
      client = new Client({
        region: recorded.region,
        endpoint: options.endpoint,
        credentials: options.credentials,
        ...(recorded.client === 'S3Client' ? { forcePathStyle: true } : {}),
      });
      clients.set(key, client);
    }
    return client;
  };
  try {
    for (const recorded of commands) {
      const Command = classes.get(recorded.command) as Constructor<unknown>;
      const command = new Command(options.rewrite(recorded.input, recorded));
      const failure = await clientFor(recorded)
        .send(command)
        .then(
          () => undefined,
          (error: Error) => error.name,
        );
      if (failure !== recorded.errorName)
        throw new Error(
          `replay of ${recorded.command} ${failure ? `failed with ${failure}` : 'succeeded'}, the agents' call ${recorded.errorName ? `failed with ${recorded.errorName}` : 'succeeded'}`,
        );
    }
  } finally {
    for (const client of clients.values()) client.destroy();
  }
}

/** Replaces `from` by `to` in every string of a recorded input (resource names, ARNs). */
export function renameDeep(value: unknown, from: string, to: string): unknown {
  if (typeof value === 'string') return value.split(from).join(to);
  if (value instanceof Uint8Array) return value;
  if (Array.isArray(value)) return value.map((item) => renameDeep(item, from, to));
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, renameDeep(item, from, to)]));
  return value;
}
