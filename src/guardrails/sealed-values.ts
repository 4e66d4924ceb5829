/**
 * Sealed values: a secret a person typed into a form (an environment variable's value, a field of
 * kind `secret`) is sealed in the credential vault the moment it arrives, and everything after
 * that (graph state and its checkpoints, plans, approvals, journals, events) holds only a
 * reference `{ $sealed: id }`. The tool runner opens references just in time for an approved call.
 * Keeping references rather than ciphertext in checkpoints means key rotation and retention only
 * touch the vault's records, never the checkpointer's blobs.
 */
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';

export interface SealedValue {
  /** Id of the vault record holding the value (scoped to the person who typed it). */
  readonly $sealed: string;
}

/** Seals a person's secret and opens it again (the credential vault implements it). */
export interface SecretSealer {
  /** Stores the value encrypted for `userId`; the reference is all anyone keeps. */
  seal(userId: string, clear: string): Promise<SealedValue>;
  /** The clear value, for the call about to run; refuses a reference of another person or one that fails authentication. */
  unseal(userId: string, sealed: SealedValue): Promise<string>;
  /** Deletes the value: its workflow ended and nothing will open it again. */
  discard(userId: string, sealed: SealedValue): Promise<void>;
}

export function isSealedValue(value: unknown): value is SealedValue {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && keys[0] === '$sealed' && typeof (value as SealedValue).$sealed === 'string';
}

/** A copy of `value` with each sealed value replaced by `replace(it, its dotted path)`. */
export function mapSealed(value: unknown, replace: (sealed: SealedValue, path: string) => unknown): unknown {
  const walk = (node: unknown, path: string): unknown => {
    if (isSealedValue(node)) return replace(node, path);
    if (Array.isArray(node))
      return node.map((item, index) => walk(item, path ? `${path}.${index}` : `${index}`));
    if (node === null || typeof node !== 'object') return node;
    return Object.fromEntries(
      Object.entries(node).map(([key, item]) => [key, walk(item, path ? `${path}.${key}` : key)]),
    );
  };
  return walk(value, '');
}

/** Deletes every sealed value found in `values` (each once); resolves with how many there were. */
export async function discardAll(
  sealer: Pick<SecretSealer, 'discard'>,
  userId: string,
  values: unknown,
): Promise<number> {
  const ids = new Map<string, SealedValue>();
  mapSealed(values, (sealed) => {
    ids.set(sealed.$sealed, sealed);
    return sealed;
  });
  for (const sealed of ids.values()) await sealer.discard(userId, sealed);
  return ids.size;
}

export function containsSealed(value: unknown): boolean {
  let found = false;
  mapSealed(value, (sealed) => {
    found = true;
    return sealed;
  });
  return found;
}

/** A copy with every sealed value opened, one after the other (each may be a vault read). */
export async function unsealAll(
  value: unknown,
  open: (sealed: SealedValue, path: string) => Promise<string>,
): Promise<unknown> {
  const pending: Array<[SealedValue, string]> = [];
  mapSealed(value, (sealed, path) => pending.push([sealed, path]));
  const opened = new Map<SealedValue, string>();
  for (const [sealed, path] of pending) opened.set(sealed, await open(sealed, path));
  return mapSealed(value, (sealed) => opened.get(sealed));
}

/**
 * Validates arguments that hold sealed values against a tool's schema: each stands in as a unique
 * placeholder string while the schema parses (string rules pass, defaults are filled), then goes
 * back in place. The result is what an approval names: the arguments with their secrets sealed.
 */
export function parseKeepingSealed<T>(
  schema: z.ZodType<T>,
  args: unknown,
): { success: true; data: T } | { success: false; error: z.ZodError } {
  const nonce = randomUUID();
  const byStandIn = new Map<string, SealedValue>();
  const standIns = mapSealed(args, (sealed) => {
    const standIn = `sealed-value:${nonce}:${byStandIn.size}`;
    byStandIn.set(standIn, sealed);
    return standIn;
  });
  const parsed = schema.safeParse(standIns);
  if (!parsed.success || byStandIn.size === 0) return parsed;
  const restore = (node: unknown): unknown => {
    if (typeof node === 'string') return byStandIn.get(node) ?? node;
    if (Array.isArray(node)) return node.map(restore);
    if (node === null || typeof node !== 'object') return node;
    return Object.fromEntries(Object.entries(node).map(([key, item]) => [key, restore(item)]));
  };
  return { success: true, data: restore(parsed.data) as T };
}
