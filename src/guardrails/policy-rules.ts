/**
 * Policy rules as data: the zod schema of a rule (the same one for the defaults and for a policy
 * file) and its compilation into a predicate over plan steps. A rule matches when every condition
 * it names holds: tool name globs, risk, argument paths, resource tags, resource names, IAM
 * actions, and ingress opened to a CIDR on a port.
 */
import { z } from 'zod';
import type { PlanStep } from '../protocol/events.js';
import { canonicalJson } from './approvals.js';

export type PolicyEffect = 'deny' | 'ask' | 'allow';

/** A tag as `[key, value]`. */
export type Tag = readonly [string, string];

/** What a rule may look up beyond the step itself. */
export interface PolicyContext {
  /** IAM actions the named tool declares (from the catalog). */
  iamActionsOf?: (tool: string) => readonly string[];
  /** Tags of the existing resources the step acts on (an instance it stops, a service it updates). */
  targetTagsOf?: (step: PlanStep) => readonly Tag[];
}

export interface PolicyRule {
  id: string;
  effect: PolicyEffect;
  reasonCode: string;
  reason: string;
  /** True when the rule has a tag condition, so the tags of the step's target resources matter. */
  readsTags: boolean;
  /** True when the rule applies to this step. */
  matches(step: PlanStep, context?: PolicyContext): boolean;
}

const compiles = (value: string) => {
  try {
    new RegExp(value);
    return true;
  } catch {
    return false;
  }
};
const pattern = z.string().min(1).refine(compiles, 'not a valid regular expression');
const globs = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);

const argumentCondition = z
  .strictObject({
    /** Dot path into the arguments; `*` is any one key or index, `**` any depth. */
    path: z.string().min(1),
    equals: z.unknown().optional(),
    /** Tested against string, number and boolean values found at the path. */
    regex: pattern.optional(),
    exists: z.boolean().optional(),
  })
  .refine(
    (condition) =>
      condition.equals !== undefined || condition.regex !== undefined || condition.exists !== undefined,
    'give one of equals, regex or exists',
  );

export const ruleMatchSchema = z.strictObject({
  /** Tool name globs (`*`, `?`, `{a,b}`); any one matching is enough. */
  tool: globs.optional(),
  risk: z
    .array(z.enum(['read', 'write', 'destructive']))
    .min(1)
    .optional(),
  /** Every condition must hold. */
  args: z.array(argumentCondition).min(1).optional(),
  /** Tag key regex -> tag value regex, whole and case-insensitive, e.g. {"Environment": "production"}. */
  tags: z.record(pattern, pattern).optional(),
  /** Regex (case-insensitive) over every string argument: names, ids, ARNs, paths. */
  resource_name: pattern.optional(),
  /** Globs over the IAM actions the tool declares, e.g. "iam:Create*". */
  iam_action: globs.optional(),
  /** Ingress from one of these CIDRs that reaches this port. */
  ingress: z
    .strictObject({ port: z.int().min(0).max(65535), cidr: z.array(z.string().min(1)).min(1) })
    .optional(),
});

export const ruleSpecSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lowercase letters, digits and hyphens'),
  effect: z.enum(['deny', 'ask', 'allow']),
  reason_code: z.string().regex(/^[A-Z][A-Z0-9_]*$/, 'UPPER_SNAKE_CASE, e.g. NO_PUBLIC_BUCKETS'),
  reason: z.string().min(1).max(500),
  match: ruleMatchSchema,
});

export type RuleSpec = z.infer<typeof ruleSpecSchema>;
type RuleMatch = z.infer<typeof ruleMatchSchema>;

/** `*`, `?` and `{a,b}` globs, whole-string and case-insensitive. */
export function globToRegExp(glob: string): RegExp {
  let source = '';
  let depth = 0;
  for (const char of glob) {
    if (char === '*') source += '.*';
    else if (char === '?') source += '.';
    else if (char === '{') {
      depth += 1;
      source += '(?:';
    } else if (char === '}' && depth > 0) {
      depth -= 1;
      source += ')';
    } else if (char === ',' && depth > 0) source += '|';
    else source += char.replace(/[.+^$()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 'i');
}

const asList = (value: string | string[]) => (Array.isArray(value) ? value : [value]);
const whole = (source: string) => new RegExp(`^(?:${source})$`, 'i');

/** Values at a dot path; `*` is one level of any key, `**` any number of levels. */
export function valuesAt(root: unknown, path: string): unknown[] {
  let current: unknown[] = [root];
  for (const segment of path.split('.')) {
    const next: unknown[] = [];
    for (const value of current) {
      if (segment === '**') next.push(...descendants(value));
      else if (segment === '*') next.push(...children(value));
      else if (value !== null && typeof value === 'object' && segment in value)
        next.push((value as Record<string, unknown>)[segment]);
    }
    current = next;
  }
  return current;
}

function children(value: unknown): unknown[] {
  if (value === null || typeof value !== 'object') return [];
  return Object.values(value as Record<string, unknown>);
}

/** The value itself and everything under it. */
function descendants(value: unknown): unknown[] {
  const all: unknown[] = [value];
  for (const child of children(value)) all.push(...descendants(child));
  return all;
}

function strings(value: unknown): string[] {
  return descendants(value).filter((item): item is string => typeof item === 'string');
}

/** Tags named anywhere in the arguments: `tags: {K: V}` or `tags: [{Key, Value}]`. */
export function tagsOf(args: unknown): Tag[] {
  const found: Tag[] = [];
  for (const node of descendants(args)) {
    if (node === null || typeof node !== 'object' || Array.isArray(node)) continue;
    for (const [key, value] of Object.entries(node)) {
      if (!/^tags$/i.test(key)) continue;
      if (Array.isArray(value)) {
        for (const item of value) {
          const pair = item as { Key?: unknown; Value?: unknown; key?: unknown; value?: unknown };
          const tagKey = pair?.Key ?? pair?.key;
          if (typeof tagKey === 'string') found.push([tagKey, String(pair?.Value ?? pair?.value ?? '')]);
        }
      } else if (value && typeof value === 'object') {
        for (const [tagKey, tagValue] of Object.entries(value)) found.push([tagKey, String(tagValue)]);
      }
    }
  }
  return found;
}

const PORT_KEYS = { from: /^(from_?port|port_?from)$/i, to: /^(to_?port|port_?to)$/i, one: /^port$/i };
const ALL_PROTOCOLS = /^(-1|all)$/i;

/** True when some object in the arguments names one of the CIDRs and a port range covering `port`. */
function opensIngress(args: unknown, rule: NonNullable<RuleMatch['ingress']>): boolean {
  const cidrs = new Set(rule.cidr);
  for (const node of descendants(args)) {
    if (node === null || typeof node !== 'object' || Array.isArray(node)) continue;
    if (!strings(node).some((value) => cidrs.has(value))) continue;
    const entries = Object.entries(node as Record<string, unknown>);
    const number = (test: RegExp) => entries.find(([key]) => test.test(key))?.[1];
    const from = Number(number(PORT_KEYS.from) ?? number(PORT_KEYS.one));
    const to = Number(number(PORT_KEYS.to) ?? number(PORT_KEYS.one) ?? from);
    const anyProtocol = entries.some(
      ([key, value]) => /protocol/i.test(key) && typeof value === 'string' && ALL_PROTOCOLS.test(value),
    );
    if (anyProtocol || (from <= rule.port && rule.port <= to)) return true;
  }
  // Free text (a user-data script, a command) naming both the CIDR and the port.
  const text = JSON.stringify(args);
  return rule.cidr.some((cidr) => text.includes(cidr)) && new RegExp(`\\b${rule.port}\\b`).test(text);
}

function argumentHolds(args: unknown, condition: z.infer<typeof argumentCondition>): boolean {
  const values = valuesAt(args, condition.path).filter((value) => value !== undefined);
  if (condition.exists !== undefined && values.length > 0 !== condition.exists) return false;
  if (condition.equals !== undefined) {
    const wanted = canonicalJson(condition.equals);
    if (!values.some((value) => canonicalJson(value) === wanted)) return false;
  }
  if (condition.regex !== undefined) {
    const regex = new RegExp(condition.regex);
    const scalars = values.filter((value) => ['string', 'number', 'boolean'].includes(typeof value));
    if (!scalars.some((value) => regex.test(String(value)))) return false;
  }
  return true;
}

/** Turns a validated rule into a predicate; regexes are compiled once here. */
export function compileRule(spec: RuleSpec): PolicyRule {
  const { match } = spec;
  const tools = match.tool ? asList(match.tool).map(globToRegExp) : undefined;
  const actions = match.iam_action ? asList(match.iam_action).map(globToRegExp) : undefined;
  const name = match.resource_name ? new RegExp(match.resource_name, 'i') : undefined;
  const tags = match.tags
    ? Object.entries(match.tags).map(([key, value]) => [whole(key), whole(value)] as const)
    : undefined;
  return {
    id: spec.id,
    effect: spec.effect,
    reasonCode: spec.reason_code,
    reason: spec.reason,
    readsTags: Boolean(tags),
    matches(step, context = {}) {
      if (tools && !tools.some((regex) => regex.test(step.tool))) return false;
      if (match.risk && !match.risk.includes(step.risk)) return false;
      if (match.args && !match.args.every((condition) => argumentHolds(step.args, condition))) return false;
      if (name && !strings(step.args).some((value) => name.test(value))) return false;
      if (tags) {
        // Tags the call sets, and those the resources it acts on already carry.
        const present = [...tagsOf(step.args), ...(context.targetTagsOf?.(step) ?? [])];
        const holds = tags.every(([key, value]) =>
          present.some(([tagKey, tagValue]) => key.test(tagKey) && value.test(tagValue)),
        );
        if (!holds) return false;
      }
      if (actions) {
        const declared = context.iamActionsOf?.(step.tool) ?? [];
        if (!declared.some((action) => actions.some((regex) => regex.test(action)))) return false;
      }
      if (match.ingress && !opensIngress(step.args, match.ingress)) return false;
      return true;
    },
  };
}
