/** Bound tools in one shape: name, description and JSON Schema fields, whatever form LangChain handed over. */
import { toJsonSchema } from '@langchain/core/utils/json_schema';
import { z } from 'zod';

/** The subset of JSON Schema the offline model reads. */
export interface JsonSchema {
  type?: string | string[];
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  minItems?: number;
  maxItems?: number;
  default?: unknown;
  additionalProperties?: boolean | JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  $ref?: string;
  $defs?: Record<string, JsonSchema>;
  definitions?: Record<string, JsonSchema>;
}

export interface FieldSpec {
  name: string;
  schema: JsonSchema;
  required: boolean;
}

/** One way to call a tool: a discriminated union (`operation`) has several, plain objects one. */
export interface ToolVariant {
  fields: FieldSpec[];
  /** Discriminator fields and their constant values, e.g. `{ operation: 'read_file' }`. */
  constants: Record<string, unknown>;
}

export interface ToolSpec {
  name: string;
  description: string;
  parameters: JsonSchema;
  variants: ToolVariant[];
}

type UnknownRecord = Record<string, unknown>;

function isRecord(value: unknown): value is UnknownRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isZodSchema(value: unknown): value is z.ZodType {
  return isRecord(value) && '_zod' in value;
}

/** JSON Schema of a zod schema or of anything LangChain can convert; JSON Schema passes through. */
export function schemaToJson(schema: unknown): JsonSchema {
  if (isZodSchema(schema)) {
    const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as UnknownRecord;
    delete json.$schema;
    return json as JsonSchema;
  }
  if (isRecord(schema) && ('~standard' in schema || '_def' in schema)) {
    return toJsonSchema(schema as Parameters<typeof toJsonSchema>[0]) as JsonSchema;
  }
  return isRecord(schema) ? (schema as JsonSchema) : { type: 'object', properties: {} };
}

/** Resolves a local `$ref` against the root's `$defs`; anything else is returned as it is. */
export function resolveRef(schema: JsonSchema, root: JsonSchema): JsonSchema {
  if (!schema.$ref) return schema;
  const name = schema.$ref.replace(/^#\/(\$defs|definitions)\//, '');
  const target = root.$defs?.[name] ?? root.definitions?.[name];
  return target ? { ...target, description: schema.description ?? target.description } : schema;
}

function variantsOf(parameters: JsonSchema): ToolVariant[] {
  const alternatives = parameters.oneOf ?? parameters.anyOf;
  const objects = alternatives && !parameters.properties ? alternatives : [parameters];
  return objects.map((object) => {
    const resolved = resolveRef(object, parameters);
    const required = new Set(resolved.required ?? []);
    const constants: Record<string, unknown> = {};
    const fields: FieldSpec[] = [];
    for (const [name, raw] of Object.entries(resolved.properties ?? {})) {
      const schema = resolveRef(raw, parameters);
      if (schema.const !== undefined) constants[name] = schema.const;
      else if (schema.enum?.length === 1 && required.has(name)) constants[name] = schema.enum[0];
      else fields.push({ name, schema, required: required.has(name) });
    }
    return { fields, constants };
  });
}

export function toolSpec(name: string, description: string, parameters: JsonSchema): ToolSpec {
  return { name, description, parameters, variants: variantsOf(parameters) };
}

/**
 * Accepts what `bindTools` may receive: a StructuredTool or `{ name, description, schema }`, an
 * OpenAI tool `{ type: 'function', function: { name, description, parameters } }`, or an
 * Anthropic-style `{ name, description, input_schema }`.
 */
export function normalizeTool(tool: unknown): ToolSpec {
  if (!isRecord(tool)) throw new TypeError('a bound tool must be an object');
  const openAi = tool.function;
  if (tool.type === 'function' && isRecord(openAi) && typeof openAi.name === 'string') {
    return toolSpec(
      openAi.name,
      typeof openAi.description === 'string' ? openAi.description : '',
      schemaToJson(openAi.parameters),
    );
  }
  if (typeof tool.name !== 'string') throw new TypeError('a bound tool needs a name');
  const description = typeof tool.description === 'string' ? tool.description : '';
  const schema = tool.schema ?? tool.input_schema ?? tool.parameters;
  return toolSpec(tool.name, description, schemaToJson(schema));
}

/** Every field of every variant, once, for scoring and questions. */
export function allFields(spec: ToolSpec): FieldSpec[] {
  const seen = new Map<string, FieldSpec>();
  for (const variant of spec.variants) {
    for (const field of variant.fields) if (!seen.has(field.name)) seen.set(field.name, field);
  }
  return [...seen.values()];
}

/** The primary JSON type of a schema (`integer`, `string`...), looking through nullable unions. */
export function primaryType(schema: JsonSchema): string | undefined {
  if (Array.isArray(schema.type)) return schema.type.find((type) => type !== 'null');
  if (schema.type) return schema.type;
  if (schema.enum) return typeof schema.enum[0];
  const options = schema.anyOf ?? schema.oneOf;
  if (options) {
    const types = options.map((option) => primaryType(option)).filter((type) => type && type !== 'null');
    return types.length === 1 ? types[0] : 'any';
  }
  return undefined;
}
