/**
 * Secrets typed into forms are sealed before a workflow resumes with them: LangGraph stores the
 * resume value in its checkpoint writes, so a clear value handed to the graph would rest in the
 * store in clear. The graph, its checkpoints and its plans only ever see `{ $sealed: id }`.
 */
import { CopilotError } from '../errors/copilot-error.js';
import type { SealedValue } from '../guardrails/sealed-values.js';
import type { FormField } from '../protocol/events.js';

/** What a workflow paused on a form says it waits for (the value of its LangGraph interrupt). */
export interface FormWait {
  type: 'form';
  fields: string[];
  /** Fields whose values are sealed on arrival, by kind: `secret` (one value) or `key-value` (a map of them). */
  secret_fields?: Record<string, SecretKind>;
}

type SecretKind = 'secret' | 'key-value';

export function secretFieldsOf(fields: readonly FormField[]): Record<string, SecretKind> {
  return Object.fromEntries(
    fields.flatMap((field) =>
      field.kind === 'secret' || field.kind === 'key-value' ? [[field.name, field.kind]] : [],
    ),
  );
}

function isFormWait(value: unknown): value is FormWait {
  return (value as { type?: unknown } | undefined)?.type === 'form';
}

/** `{"A":"1"}` or `A=1` lines, as a key-value field may arrive from a text box. */
function keyValueEntries(name: string, value: unknown): Array<[string, string]> {
  let map = value;
  if (typeof value === 'string') {
    const text = value.trim();
    try {
      map = text.startsWith('{') ? JSON.parse(text) : undefined;
    } catch {
      map = undefined;
    }
    map ??= Object.fromEntries(
      text
        .split('\n')
        .filter((line) => line.includes('='))
        .map((line) => [line.slice(0, line.indexOf('=')).trim(), line.slice(line.indexOf('=') + 1)]),
    );
  }
  const entries = map && typeof map === 'object' && !Array.isArray(map) ? Object.entries(map) : undefined;
  if (!entries?.every((entry): entry is [string, string] => typeof entry[1] === 'string')) {
    throw new CopilotError('invalid_input', `${name}: give NAME=value lines or a JSON object of text values`);
  }
  return entries;
}

/** Environment values are secrets whatever the workflow declared: `environment.NAME`, or an `environment` map. */
function undeclaredSecretKind(name: string): SecretKind | undefined {
  if (name.startsWith('environment.')) return 'secret';
  return name === 'environment' ? 'key-value' : undefined;
}

/**
 * The form's values with every secret sealed for `seal`'s owner. Secret fields are the ones the
 * paused workflow named, and any environment value (`environment.NAME`, or an `environment` map of
 * them) whatever the workflow said.
 */
export async function sealFormSecrets(
  values: Record<string, unknown>,
  wait: unknown,
  seal: (clear: string) => Promise<SealedValue>,
): Promise<Record<string, unknown>> {
  const declared = isFormWait(wait) ? (wait.secret_fields ?? {}) : {};
  const sealed: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(values)) {
    const kind = declared[name] ?? undeclaredSecretKind(name);
    if (!kind || value === '' || value === undefined || value === null) sealed[name] = value;
    else if (kind === 'key-value') {
      const entries = keyValueEntries(name, value);
      const sealedEntries: Array<[string, SealedValue]> = [];
      for (const [key, item] of entries) sealedEntries.push([key, await seal(item)]);
      sealed[name] = Object.fromEntries(sealedEntries);
    } else if (typeof value === 'string') sealed[name] = await seal(value);
    else throw new CopilotError('invalid_input', `${name}: a secret field takes text`);
  }
  return sealed;
}
