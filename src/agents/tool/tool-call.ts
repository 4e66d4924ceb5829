/** Turning a model's tool call into a validated catalog call, and asking for what it lacks. */
import type { z } from 'zod';
import { isSecretKeyName } from '../../guardrails/redaction.js';
import { parseKeepingSealed } from '../../guardrails/sealed-values.js';
import type { FormField } from '../../protocol/events.js';
import type { AnyTool } from '../../tools/define-tool.js';
import { toolInputJsonSchema } from '../../tools/input-schema.js';

export interface ToolSpecForModel {
  type: 'function';
  function: { name: string; description: string; parameters: Record<string, unknown> };
}

export function toolSpecs(tools: AnyTool[]): ToolSpecForModel[] {
  return tools.map((tool) => ({
    type: 'function',
    function: {
      name: tool.name,
      description: `${tool.description} (risk: ${tool.risk})`,
      parameters: toolInputJsonSchema(tool),
    },
  }));
}

/** Form values arrive as text: numbers, booleans, arrays and objects are read back as JSON. */
export function coerceFormValue(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const trimmed = value.trim();
  if (/^(-?\d+(\.\d+)?|true|false|null|\[.*\]|\{.*\})$/s.test(trimmed)) {
    try {
      return JSON.parse(trimmed);
    } catch {
      return value;
    }
  }
  return value;
}

/** How a form asks for an argument: secrets (by name) and environment maps are sealed on arrival. */
function fieldKind(name: string, property: { enum?: string[] } | undefined): FormField['kind'] {
  if (property?.enum) return 'select';
  if (name === 'environment') return 'key-value';
  return isSecretKeyName(name) ? 'secret' : 'text';
}

/** The fields a call still needs, as a form: one per failing top-level argument. */
export function missingArgumentFields(tool: AnyTool, args: Record<string, unknown>): FormField[] {
  const parsed = parseKeepingSealed(tool.input as z.ZodType, args);
  if (parsed.success) return [];
  const properties = (toolInputJsonSchema(tool).properties ?? {}) as Record<
    string,
    { description?: string; enum?: string[] }
  >;
  const fields = new Map<string, FormField>();
  for (const issue of parsed.error.issues) {
    const name = String(issue.path[0] ?? '');
    if (!name || fields.has(name)) continue;
    const property = properties[name];
    const problem = args[name] === undefined ? '' : ` (${issue.message})`;
    const kind = fieldKind(name, property);
    // A secret field never shows back what was given for it.
    const shown = kind !== 'secret' && kind !== 'key-value' && args[name] !== undefined;
    fields.set(name, {
      name,
      label: name.replace(/_/g, ' '),
      description: `${property?.description ?? name}${problem}`,
      kind,
      required: true,
      ...(property?.enum ? { options: property.enum } : {}),
      ...(shown ? { value: args[name] } : {}),
    });
  }
  return [...fields.values()];
}

/** A short, plain rendering of a tool's result for the chat. */
export function describeResult(tool: string, result: unknown): string {
  const text = JSON.stringify(result, null, 2) ?? 'null';
  const shown =
    text.length > 3000 ? `${text.slice(0, 3000)}\n… (${text.length - 3000} more characters)` : text;
  return `${tool} finished:\n${shown}`;
}
