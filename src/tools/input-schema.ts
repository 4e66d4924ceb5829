/** The JSON Schema of a tool's input, as models, MCP clients and `tools list --json` receive it. */
import { z } from 'zod';
import type { AnyTool } from './define-tool.js';

export type JsonSchemaObject = Record<string, unknown> & { type: 'object' };

/**
 * Tool-calling APIs require an object at the root; a discriminated union (repo_reader's
 * `operation`) becomes `{ type: 'object', oneOf: [...] }`, which they accept.
 */
export function toolInputJsonSchema(tool: AnyTool): JsonSchemaObject {
  const schema = z.toJSONSchema(tool.input, { io: 'input', unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  delete schema.$schema;
  return { ...schema, type: 'object' };
}
