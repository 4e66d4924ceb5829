/**
 * A call's arguments as the runner handles them: validated with secrets still sealed (what
 * approvals, policy and the audit trail see), and opened just in time for the tool itself.
 */
import type { z } from 'zod';
import { CopilotError } from '../errors/copilot-error.js';
import { MASK } from '../guardrails/redaction.js';
import {
  containsSealed,
  mapSealed,
  parseKeepingSealed,
  type SecretSealer,
  unsealAll,
} from '../guardrails/sealed-values.js';
import type { AnyTool } from './define-tool.js';
import { fieldError } from './field-error.js';

/** Fills the input schema's defaults and reports the first bad field by its path; sealed values stay sealed. */
export function parseArgs(tool: AnyTool, args: unknown): unknown {
  const parsed = parseKeepingSealed(tool.input as z.ZodType, args ?? {});
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((issue) => {
    const path = issue.path.length > 0 ? issue.path.join('.') : '(arguments)';
    return `${path}: ${issue.message}`;
  });
  const field = parsed.error.issues[0]?.path.join('.') ?? '';
  throw fieldError('invalid_input', field, `invalid arguments for ${tool.name}: ${issues.join('; ')}`);
}

/**
 * The arguments the tool itself receives. Sealed values are opened here and nowhere else, right
 * before the call and only for a call a person approved: the approval named the sealed form, and
 * the vault refuses an envelope that fails to authenticate, so no other value can be swapped in.
 * The clear copy lives only as long as the call. A preview never needs a secret: it sees the mask.
 */
export async function argsForTool(
  tool: AnyTool,
  mode: 'run' | 'preview' | 'compensate',
  raw: unknown,
  parsed: unknown,
  call: { userId: string; approved: boolean; sealer: Pick<SecretSealer, 'unseal'> | undefined },
): Promise<unknown> {
  if (!containsSealed(raw)) return parsed;
  if (mode === 'preview')
    return parseArgs(
      tool,
      mapSealed(raw, () => MASK),
    );
  const { sealer } = call;
  if (!call.approved) {
    throw new CopilotError(
      'approval_required',
      `${tool.name} holds sealed values, which are opened only for a call a person approved`,
    );
  }
  if (!sealer) {
    throw new CopilotError(
      'vault_locked',
      `${tool.name} holds sealed values but no vault is open to read them`,
    );
  }
  const clear = await unsealAll(raw, async (sealed, path) => {
    try {
      return await sealer.unseal(call.userId, sealed);
    } catch (error) {
      if (!(error instanceof CopilotError)) throw error;
      throw new CopilotError(error.code, `${path}: ${error.message}`, { cause: error });
    }
  });
  return parseArgs(tool, clear);
}
