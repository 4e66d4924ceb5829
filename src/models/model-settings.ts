/** Model settings in one zod schema, resolved as: explicit option > environment variable > config file > default. */
import { z } from 'zod';
import { CopilotError } from '../errors/copilot-error.js';
import { redactor } from '../guardrails/redaction.js';
import { regionSchema } from '../tools/aws/regions.js';

export const MODEL_PROVIDERS = ['offline', 'openai', 'anthropic', 'bedrock', 'openai-compatible'] as const;
export type ModelProvider = (typeof MODEL_PROVIDERS)[number];

/** Spec 1, section 1: tokens per session nobody may configure past. */
export const TOKEN_CEILING = { input: 120_000, output: 60_000 } as const;

const temperature = z.number().min(0).max(2);
const budget = (ceiling: number) =>
  z
    .int()
    .positive()
    .max(ceiling, { error: `above the hard ceiling of ${ceiling} tokens per session` });

export const modelSettingsSchema = z.strictObject({
  /** Which API answers; 'offline' needs no network and is the default when no key is configured. */
  provider: z.enum(MODEL_PROVIDERS),
  /** Model id sent to the provider. */
  model: z.string().min(1),
  /** Cheaper model: tried when the main one fails, and used alone when the budget is tight. */
  fallbackModel: z.string().min(1).optional(),
  /** The API's base URL (a proxy, a local server); for Bedrock the runtime endpoint. Unset means the provider's own. */
  baseUrl: z.url().optional(),
  /** Read from the environment only, never from a config file; registered with the redactor on load. */
  apiKey: z.string().min(1).optional(),
  /** Bedrock's region. */
  region: regionSchema.default('us-east-1'),
  /** Temperature for planning, routing and tool choice (spec: 0.2). */
  planningTemperature: temperature.default(0.2),
  /** Temperature for prose: summaries, explanations, reports (spec: 0.5). */
  creativeTemperature: temperature.default(0.5),
  /** Input tokens one session may spend (spec: 80k, ceiling 120k). */
  inputTokenBudget: budget(TOKEN_CEILING.input).default(80_000),
  /** Output tokens one session may spend (spec: 40k, ceiling 60k). */
  outputTokenBudget: budget(TOKEN_CEILING.output).default(40_000),
  /** Upper bound of one answer, so a single call cannot swallow the session's output budget. */
  maxOutputTokens: z.int().min(16).max(TOKEN_CEILING.output).default(4096),
  /** Retries of one request before the fallback model is tried. */
  maxRetries: z.int().min(0).max(10).default(2),
  /** Upper bound of one request. */
  timeoutMs: z.int().min(1000).default(120_000),
  /** Embedding model of the provider for vector memory; unset means text-embedding-3-small on OpenAI, local elsewhere. */
  embeddingModel: z.string().min(1).optional(),
});

export type ModelSettings = z.infer<typeof modelSettingsSchema>;
/** What an option or the config file may set: everything but the API key, which only the environment provides. */
export type ModelSettingsInput = Partial<Omit<z.input<typeof modelSettingsSchema>, 'apiKey'>>;

type Key = keyof ModelSettings;
const asNumber = (raw: string) => (raw.trim() === '' ? raw : Number(raw));
const asText = (raw: string) => raw;

/** Environment variables per setting; `provider` picks among them where providers use different names. */
function environmentNames(key: Key, provider: ModelProvider): string[] {
  switch (key) {
    case 'provider':
      return ['AWS_COPILOT_MODEL_PROVIDER'];
    case 'model':
      return ['AWS_COPILOT_MODEL'];
    case 'fallbackModel':
      return ['AWS_COPILOT_FALLBACK_MODEL'];
    case 'baseUrl':
      return {
        offline: [],
        openai: ['OPENAI_BASE_URL'],
        anthropic: ['ANTHROPIC_BASE_URL'],
        bedrock: ['AWS_COPILOT_BEDROCK_ENDPOINT'],
        'openai-compatible': ['AWS_COPILOT_MODEL_BASE_URL'],
      }[provider];
    case 'apiKey':
      return {
        offline: [],
        openai: ['OPENAI_API_KEY'],
        anthropic: ['ANTHROPIC_API_KEY'],
        bedrock: [],
        'openai-compatible': ['AWS_COPILOT_MODEL_API_KEY'],
      }[provider];
    case 'region':
      return ['AWS_REGION', 'AWS_DEFAULT_REGION'];
    case 'planningTemperature':
      return ['AWS_COPILOT_PLANNING_TEMPERATURE'];
    case 'creativeTemperature':
      return ['AWS_COPILOT_CREATIVE_TEMPERATURE'];
    case 'inputTokenBudget':
      return ['AWS_COPILOT_INPUT_TOKEN_BUDGET'];
    case 'outputTokenBudget':
      return ['AWS_COPILOT_OUTPUT_TOKEN_BUDGET'];
    case 'maxOutputTokens':
      return ['AWS_COPILOT_MODEL_MAX_OUTPUT_TOKENS'];
    case 'maxRetries':
      return ['AWS_COPILOT_MODEL_MAX_RETRIES'];
    case 'timeoutMs':
      return ['AWS_COPILOT_MODEL_TIMEOUT_MS'];
    case 'embeddingModel':
      return ['AWS_COPILOT_EMBEDDING_MODEL'];
    default:
      return [];
  }
}

const TEXT_KEYS = new Set<Key>([
  'provider',
  'model',
  'fallbackModel',
  'baseUrl',
  'apiKey',
  'region',
  'embeddingModel',
]);

/** The environment variable a setting is read from, for messages that tell the person what to set. */
export function modelSettingVariable(key: Key, provider: ModelProvider): string | undefined {
  return environmentNames(key, provider)[0];
}

/** Every environment variable the model settings read, for the README and its test. */
export function modelEnvironmentVariables(): string[] {
  const names = new Set<string>();
  for (const key of Object.keys(modelSettingsSchema.shape) as Key[])
    for (const provider of MODEL_PROVIDERS)
      for (const name of environmentNames(key, provider)) names.add(name);
  return [...names];
}

const DEFAULT_MODEL: Record<ModelProvider, string | undefined> = {
  offline: 'offline',
  openai: 'gpt-4.1-mini',
  anthropic: 'claude-sonnet-4-5',
  bedrock: 'anthropic.claude-sonnet-4-5-20250929-v1:0',
  'openai-compatible': undefined,
};

const DEFAULT_FALLBACK_MODEL: Record<ModelProvider, string | undefined> = {
  offline: undefined,
  openai: 'gpt-4o-mini',
  anthropic: 'claude-haiku-4-5',
  bedrock: 'anthropic.claude-haiku-4-5-20251001-v1:0',
  'openai-compatible': undefined,
};

/** Recent Claude models on Bedrock are reached through a cross-region inference profile named after the geography. */
function bedrockProfile(modelId: string, region: string): string {
  const geography = region.startsWith('us-') ? 'us' : region.startsWith('eu-') ? 'eu' : 'global';
  return `${geography}.${modelId}`;
}

function inferProvider(env: NodeJS.ProcessEnv): ModelProvider {
  if (env.OPENAI_API_KEY) return 'openai';
  if (env.ANTHROPIC_API_KEY) return 'anthropic';
  return 'offline';
}

export interface LoadModelSettingsOptions {
  env?: NodeJS.ProcessEnv;
  /** Model settings from the config file (any `apiKey` there is refused: keys belong in the environment). */
  file?: Record<string, unknown>;
}

interface Resolution {
  values: Record<string, unknown>;
  sources: Map<string, string>;
}

function resolveValues(explicit: ModelSettingsInput, env: NodeJS.ProcessEnv, file: Record<string, unknown>) {
  const resolution: Resolution = { values: {}, sources: new Map() };
  const take = (key: string, value: unknown, source: string) => {
    if (value === undefined || key in resolution.values) return;
    resolution.values[key] = value;
    resolution.sources.set(key, source);
  };
  const readEnv = (key: Key, provider: ModelProvider) => {
    const name = environmentNames(key, provider).find((candidate) => env[candidate]);
    if (!name) return;
    const raw = env[name] as string;
    take(key, TEXT_KEYS.has(key) ? asText(raw) : asNumber(raw), `environment variable ${name}`);
  };

  take('provider', explicit.provider, 'option');
  readEnv('provider', 'offline');
  take('provider', file.provider, 'config file');
  take('provider', inferProvider(env), 'default');
  const provider = (
    MODEL_PROVIDERS.includes(resolution.values.provider as ModelProvider)
      ? resolution.values.provider
      : 'offline'
  ) as ModelProvider;

  for (const [key, value] of Object.entries(explicit)) take(key, value, 'option');
  for (const key of Object.keys(modelSettingsSchema.shape) as Key[]) readEnv(key, provider);
  for (const [key, value] of Object.entries(file)) take(key, value, 'config file');

  const region = typeof resolution.values.region === 'string' ? resolution.values.region : 'us-east-1';
  const model = DEFAULT_MODEL[provider];
  const fallback = DEFAULT_FALLBACK_MODEL[provider];
  take('model', provider === 'bedrock' && model ? bedrockProfile(model, region) : model, 'default');
  take(
    'fallbackModel',
    provider === 'bedrock' && fallback ? bedrockProfile(fallback, region) : fallback,
    'default',
  );
  return { provider, ...resolution };
}

/** What must be present for a provider, checked after the schema so the message can name the variable. */
function missingRequirements(settings: ModelSettings): string[] {
  const { provider } = settings;
  const problems: string[] = [];
  if ((provider === 'openai' || provider === 'anthropic') && !settings.apiKey) {
    const variable = modelSettingVariable('apiKey', provider);
    problems.push(`provider '${provider}' needs an API key: set the environment variable ${variable}`);
  }
  if (provider === 'openai-compatible' && !settings.baseUrl)
    problems.push(
      "provider 'openai-compatible' needs the server's URL: set AWS_COPILOT_MODEL_BASE_URL (for example http://127.0.0.1:11434/v1 for Ollama)",
    );
  return problems;
}

/** Resolves the model settings; an invalid or missing value fails naming the setting, where it came from and what to set. */
export function loadModelSettings(
  options: ModelSettingsInput = {},
  load: LoadModelSettingsOptions = {},
): ModelSettings {
  const env = load.env ?? process.env;
  const file = load.file ?? {};
  if ('apiKey' in file)
    throw new CopilotError(
      'config_invalid',
      'the config file must not hold an API key: remove apiKey from it and set OPENAI_API_KEY, ANTHROPIC_API_KEY or AWS_COPILOT_MODEL_API_KEY in the environment instead',
    );
  const { provider, values, sources } = resolveValues(options, env, file);
  const parsed = modelSettingsSchema.safeParse(values);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      if (issue.code === 'unrecognized_keys')
        return `unknown model setting${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((key) => `'${key}'`).join(', ')} (from ${issue.keys.map((key) => sources.get(key)).join(', ')})`;
      const key = String(issue.path[0] ?? '');
      const source = sources.get(key);
      if (source === undefined) {
        const variable = modelSettingVariable(key as Key, provider);
        return `setting '${key}' is required for provider '${provider}'${variable ? `: set ${variable}` : ''}`;
      }
      return `setting '${issue.path.join('.') || '(root)'}' (from ${source}): ${issue.message}`;
    });
    throw new CopilotError('config_invalid', `invalid model settings:\n  ${problems.join('\n  ')}`);
  }
  const problems = missingRequirements(parsed.data);
  if (problems.length > 0)
    throw new CopilotError('config_invalid', `invalid model settings:\n  ${problems.join('\n  ')}`);
  // The key may surface in an error or a dump of the settings; the process redactor masks it everywhere.
  if (parsed.data.apiKey) redactor.addSecrets([parsed.data.apiKey]);
  return parsed.data;
}
