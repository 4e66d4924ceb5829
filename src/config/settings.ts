/** Every setting in one zod schema, resolved as: explicit option > environment variable > config file > default. */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { CopilotError } from '../errors/copilot-error.js';
import { regionSchema } from '../tools/aws/regions.js';

export const DEFAULT_SHELL_ALLOW = [
  'node',
  'npm',
  'npx',
  'pnpm',
  'python',
  'python3',
  'uv',
  'git',
  'zip',
  'unzip',
];

export const settingsSchema = z.strictObject({
  /** Default AWS region when a tool call names none. */
  region: regionSchema.default('us-east-1'),
  /** Named profile from the shared AWS config files. */
  profile: z.string().min(1).optional(),
  /** Custom AWS endpoint (the sandbox, LocalStack); unset means real AWS. */
  endpointUrl: z.url().optional(),
  /** Folder the workspace tools may read and run in; nothing outside it is touched. */
  workspace: z.string().min(1),
  /** Where aws-copilot keeps its own files (audit log, sandbox state, later the store). */
  dataDir: z.string().min(1),
  /** AWS requests per second allowed per user (spec: 2). */
  awsRequestsPerSecond: z.number().positive().max(1000).default(2),
  /** Attempts per AWS request, including adaptive retries on throttling. */
  awsMaxAttempts: z.int().min(1).max(20).default(5),
  /** Tool calls running at once across the process (spec: 10). */
  toolConcurrency: z.int().min(1).max(100).default(10),
  /** Upper bound for one tool call, waiters included. */
  toolTimeoutMs: z.int().min(1000).default(600_000),
  /** Default timeout of shell_runner commands (spec: 120 s). */
  shellTimeoutMs: z.int().min(100).max(3_600_000).default(120_000),
  /** Executables shell_runner may start. */
  shellAllow: z.array(z.string().min(1)).default(DEFAULT_SHELL_ALLOW),
  /** Bytes of stdout/stderr kept per shell command. */
  shellOutputLimit: z
    .int()
    .min(1024)
    .default(256 * 1024),
  /** A PostgreSQL server for a shared store (postgresql://...); unset means the embedded store. */
  databaseUrl: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'a PostgreSQL URL starts with postgresql://')
    .optional(),
  /** A MongoDB server for a shared store (mongodb://...). */
  mongodbUri: z
    .string()
    .regex(/^mongodb(\+srv)?:\/\//, 'a MongoDB URI starts with mongodb://')
    .optional(),
  /** Folder of the embedded store (default: <dataDir>/store). */
  storeDir: z.string().min(1).optional(),
  /** Days request logs and finished deployments are kept. */
  retentionDays: z.int().min(1).max(3650).default(90),
  /** Length of the embeddings kept in vector memory. */
  vectorDimensions: z.int().min(8).max(4096).default(256),
  /** A Qdrant server for vector memory instead of the store's own vectors (its API key: QDRANT_API_KEY). */
  qdrantUrl: z.url().optional(),
  /** AWS KMS key that wraps the vault's data keys instead of the local master key. */
  kmsKeyId: z.string().min(1).optional(),
  /** Whether the ECS repair workflow may change services at all; even then every change needs approval. */
  ecsAllowWrite: z.boolean().default(false),
  /** A JSON policy file whose deny/ask/allow rules are merged on top of the built-in policy. */
  policyFile: z.string().min(1).optional(),
  /** OTLP/HTTP receiver for traces and metrics (e.g. http://127.0.0.1:4318); unset sends none. */
  otlpEndpoint: z.url().optional(),
  /** Slack-compatible incoming webhook for critical alerts (deployment failure, compliance block). */
  alertWebhookUrl: z.url().optional(),
  /** Whether MCP clients may call write and destructive tools; even then each call is confirmed by the person. */
  mcpAllowWrites: z.boolean().default(false),
  /** A JSON file listing external MCP servers whose tools join the catalog. */
  mcpServers: z.string().min(1).optional(),
  /** Address `aws-copilot serve` listens on; the loopback default keeps it to this machine. */
  serverHost: z.string().min(1).default('127.0.0.1'),
  /** Port of `aws-copilot serve` (0 picks a free one). */
  serverPort: z.int().min(0).max(65535).default(8765),
  /** Accounts with passwords (or a trusted proxy header) instead of the single-user access token. */
  serverMultiUser: z.boolean().default(false),
  /** Header a trusted reverse proxy sets to the signed-in person's name; setting it turns on multi-user mode. */
  serverTrustedUserHeader: z
    .string()
    .regex(/^[A-Za-z0-9-]+$/, 'an HTTP header name such as X-Forwarded-User')
    .transform((name) => name.toLowerCase())
    .optional(),
  /** Browser origins besides the server's own that may call the API and open the WebSocket. */
  serverAllowedOrigins: z.array(z.url()).default([]),
  /** Requests and WebSocket frames per minute per user (and per address before login). */
  serverRateLimit: z.int().min(1).max(1_000_000).default(600),
});

export type Settings = z.infer<typeof settingsSchema>;
export type SettingsInput = Partial<z.input<typeof settingsSchema>>;

interface EnvBinding {
  key: keyof Settings;
  env: string[];
  parse: (raw: string) => unknown;
}

const asNumber = (raw: string) => (raw.trim() === '' ? raw : Number(raw));
const asList = (raw: string) =>
  raw
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
const asText = (raw: string) => raw;
/** true/1/yes and false/0/no; anything else stays text so validation names the variable. */
const asBoolean = (raw: string) => {
  const word = raw.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(word)) return true;
  if (['false', '0', 'no', 'off'].includes(word)) return false;
  return raw;
};

/** Environment variables, first match wins; the AWS ones are the SDK's own names. */
export const ENV_BINDINGS: EnvBinding[] = [
  { key: 'region', env: ['AWS_REGION', 'AWS_DEFAULT_REGION'], parse: asText },
  { key: 'profile', env: ['AWS_PROFILE'], parse: asText },
  { key: 'endpointUrl', env: ['AWS_ENDPOINT_URL'], parse: asText },
  { key: 'workspace', env: ['AWS_COPILOT_WORKSPACE'], parse: asText },
  { key: 'dataDir', env: ['AWS_COPILOT_DATA_DIR'], parse: asText },
  { key: 'awsRequestsPerSecond', env: ['AWS_COPILOT_AWS_RPS'], parse: asNumber },
  { key: 'awsMaxAttempts', env: ['AWS_COPILOT_AWS_MAX_ATTEMPTS', 'AWS_MAX_ATTEMPTS'], parse: asNumber },
  { key: 'toolConcurrency', env: ['AWS_COPILOT_TOOL_CONCURRENCY'], parse: asNumber },
  { key: 'toolTimeoutMs', env: ['AWS_COPILOT_TOOL_TIMEOUT_MS'], parse: asNumber },
  { key: 'shellTimeoutMs', env: ['AWS_COPILOT_SHELL_TIMEOUT_MS'], parse: asNumber },
  { key: 'shellAllow', env: ['AWS_COPILOT_SHELL_ALLOW'], parse: asList },
  { key: 'shellOutputLimit', env: ['AWS_COPILOT_SHELL_OUTPUT_LIMIT'], parse: asNumber },
  { key: 'databaseUrl', env: ['DATABASE_URL'], parse: asText },
  { key: 'mongodbUri', env: ['MONGODB_URI'], parse: asText },
  { key: 'storeDir', env: ['AWS_COPILOT_STORE_DIR'], parse: asText },
  { key: 'retentionDays', env: ['AWS_COPILOT_RETENTION_DAYS'], parse: asNumber },
  { key: 'vectorDimensions', env: ['AWS_COPILOT_VECTOR_DIMENSIONS'], parse: asNumber },
  { key: 'qdrantUrl', env: ['QDRANT_URL'], parse: asText },
  { key: 'kmsKeyId', env: ['AWS_COPILOT_KMS_KEY_ID'], parse: asText },
  { key: 'ecsAllowWrite', env: ['AWS_COPILOT_ECS_ALLOW_WRITE'], parse: asBoolean },
  { key: 'policyFile', env: ['AWS_COPILOT_POLICY_FILE'], parse: asText },
  { key: 'otlpEndpoint', env: ['OTEL_EXPORTER_OTLP_ENDPOINT'], parse: asText },
  { key: 'alertWebhookUrl', env: ['AWS_COPILOT_ALERT_WEBHOOK_URL'], parse: asText },
  { key: 'mcpAllowWrites', env: ['AWS_COPILOT_MCP_ALLOW_WRITES'], parse: asBoolean },
  { key: 'mcpServers', env: ['AWS_COPILOT_MCP_SERVERS'], parse: asText },
  { key: 'serverHost', env: ['AWS_COPILOT_HOST'], parse: asText },
  { key: 'serverPort', env: ['AWS_COPILOT_PORT'], parse: asNumber },
  { key: 'serverMultiUser', env: ['AWS_COPILOT_MULTI_USER'], parse: asBoolean },
  { key: 'serverTrustedUserHeader', env: ['AWS_COPILOT_TRUSTED_USER_HEADER'], parse: asText },
  { key: 'serverAllowedOrigins', env: ['AWS_COPILOT_ALLOWED_ORIGINS'], parse: asList },
  { key: 'serverRateLimit', env: ['AWS_COPILOT_RATE_LIMIT'], parse: asNumber },
];

function defaultDataDir(env: NodeJS.ProcessEnv): string {
  const base = env.XDG_DATA_HOME || join(homedir(), '.local', 'share');
  return join(base, 'aws-copilot');
}

export function defaultConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.AWS_COPILOT_CONFIG) return env.AWS_COPILOT_CONFIG;
  const base = env.XDG_CONFIG_HOME || join(homedir(), '.config');
  return join(base, 'aws-copilot', 'config.json');
}

function readConfigFile(path: string, required: boolean): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if (!required && (error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new CopilotError('config_invalid', `cannot read config file ${path}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
      throw new Error('not an object');
    return parsed as Record<string, unknown>;
  } catch (error) {
    throw new CopilotError(
      'config_invalid',
      `config file ${path} is not a JSON object: ${(error as Error).message}`,
    );
  }
}

function fromEnvironment(env: NodeJS.ProcessEnv): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const binding of ENV_BINDINGS) {
    const name = binding.env.find((candidate) => env[candidate] !== undefined && env[candidate] !== '');
    if (name) values[binding.key] = binding.parse(env[name] as string);
  }
  return values;
}

function sourceOf(key: string, env: NodeJS.ProcessEnv, fileKeys: Set<string>, configPath: string): string {
  const binding = ENV_BINDINGS.find((candidate) => candidate.key === key);
  const name = binding?.env.find((candidate) => env[candidate]);
  if (name) return `environment variable ${name}`;
  if (fileKeys.has(key)) return `config file ${configPath}`;
  return 'option';
}

export interface LoadSettingsOptions {
  env?: NodeJS.ProcessEnv;
  /** A config file to read (then it must exist), or false to read none. */
  configPath?: string | false;
  cwd?: string;
}

/** Resolves the settings; an invalid value fails with the setting's name, where it came from, and what is allowed. */
export function loadSettings(options: SettingsInput = {}, load: LoadSettingsOptions = {}): Settings {
  const env = load.env ?? process.env;
  const configPath = load.configPath === false ? '' : (load.configPath ?? defaultConfigPath(env));
  const fromFile = configPath
    ? readConfigFile(configPath, Boolean(load.configPath ?? env.AWS_COPILOT_CONFIG))
    : {};
  const explicit = Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
  const merged = {
    workspace: load.cwd ?? process.cwd(),
    dataDir: defaultDataDir(env),
    ...fromFile,
    ...fromEnvironment(env),
    ...explicit,
  };
  const parsed = settingsSchema.safeParse(merged);
  if (parsed.success) return parsed.data;
  const fileKeys = new Set(Object.keys(fromFile));
  const problems = parsed.error.issues.map((issue) => {
    const key = String(issue.path[0] ?? '');
    const where = key in explicit ? 'option' : sourceOf(key, env, fileKeys, configPath);
    return `setting '${issue.path.join('.') || '(root)'}' (from ${where}): ${issue.message}`;
  });
  throw new CopilotError('config_invalid', `invalid settings:\n  ${problems.join('\n  ')}`);
}
