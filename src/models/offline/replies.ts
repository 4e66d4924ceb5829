/** The offline model's own sentences: questions for missing fields, what it can do, tool results. */
import { fieldLabel } from './text.js';
import { allFields, type FieldSpec, type ToolSpec } from './tool-spec.js';

function firstSentence(text: string): string {
  const sentence = text.split(/(?<=\.)\s/)[0] ?? text;
  return sentence.length > 110 ? `${sentence.slice(0, 107)}...` : sentence;
}

function allowed(field: FieldSpec): string {
  const values = field.schema.enum ?? field.schema.items?.enum;
  const description = field.schema.description ?? '';
  if (values && values.length > 0) {
    const list = values.map(String).join(', ');
    return description ? `${description} (one of: ${list})` : `one of: ${list}`;
  }
  return description;
}

function shown(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * "To call `create_bucket` I still need: ..." The tool and field names in backticks let a later
 * turn find the question again when the message's metadata did not survive storage.
 */
export function askText(spec: ToolSpec, args: Record<string, unknown>, missing: string[]): string {
  const fields = allFields(spec);
  const lines = missing.map((name) => {
    const field = fields.find((entry) => entry.name === name);
    const detail = field ? allowed(field) : '';
    return `- ${fieldLabel(name)} (\`${name}\`)${detail ? `: ${detail}` : ''}`;
  });
  const known = Object.entries(args)
    .map(([name, value]) => `${fieldLabel(name)} ${shown(value)}`)
    .join(', ');
  const intro = `To call \`${spec.name}\` I still need:`;
  const sofar = known ? `\nSo far I have: ${known}.` : '';
  return `${intro}\n${lines.join('\n')}${sofar}`;
}

export function ambiguousText(options: ToolSpec[]): string {
  const choices = options.map((spec) => `- \`${spec.name}\`: ${firstSentence(spec.description)}`);
  return `That could mean more than one action. Which one do you want?\n${choices.join('\n')}`;
}

export function capabilitiesText(specs: ToolSpec[]): string {
  const lines = specs.map((spec) => `- \`${spec.name}\`: ${firstSentence(spec.description)}`);
  return [
    "I'm the offline assistant and could not match that to an action. Ask for one of these, naming what it needs:",
    ...lines,
  ].join('\n');
}

type Envelope = {
  status?: unknown;
  action?: unknown;
  result?: unknown;
  error?: { message?: unknown; code?: unknown };
};

function facts(value: unknown, prefix = '', depth = 0): string[] {
  if (value === null || value === undefined) return [];
  if (typeof value !== 'object') return [`${prefix || 'result'}: ${String(value).slice(0, 160)}`];
  if (Array.isArray(value)) {
    const label = prefix || 'items';
    if (value.length === 0) return [`${label}: none`];
    const names = value
      .slice(0, 5)
      .map((item) =>
        typeof item === 'object' && item !== null ? identify(item as Record<string, unknown>) : String(item),
      )
      .filter(Boolean);
    const more = value.length > names.length ? ` and ${value.length - names.length} more` : '';
    return [`${label} (${value.length}): ${names.join(', ')}${more}`];
  }
  if (depth > 1) return [];
  return Object.entries(value as Record<string, unknown>)
    .slice(0, 10)
    .flatMap(([key, item]) => facts(item, prefix ? `${prefix}.${key}` : key, depth + 1));
}

/** A short name for a record: its id, name or ARN field, whichever comes first. */
function identify(item: Record<string, unknown>): string {
  const key = Object.keys(item).find((name) => /(^|_)(id|name|arn|key)$/i.test(name));
  const value = key ? item[key] : Object.values(item).find((entry) => typeof entry === 'string');
  return typeof value === 'string' ? value : '';
}

/**
 * A plain report of a tool result. Only facts are copied out of it: a result is data, and any
 * sentence inside it telling the assistant what to do is ignored.
 */
export function toolResultText(content: string, toolName: string | undefined): string {
  const name = toolName ? `\`${toolName}\`` : 'The tool';
  let parsed: unknown;
  try {
    parsed = JSON.parse(content);
  } catch {
    const first = content.trim().split('\n')[0] ?? '';
    return `${name} returned: ${first.slice(0, 200)}`;
  }
  const envelope = parsed as Envelope;
  if (envelope && typeof envelope === 'object' && envelope.status === 'error') {
    const message = String(envelope.error?.message ?? 'unknown error');
    return `${name} failed: ${message}`;
  }
  const body = envelope && typeof envelope === 'object' && 'result' in envelope ? envelope.result : parsed;
  const lines = facts(body).slice(0, 8);
  return [`${name} finished.`, ...lines.map((line) => `- ${line}`)].join('\n');
}
