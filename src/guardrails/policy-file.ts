/**
 * The policy file (setting `policyFile`, env AWS_COPILOT_POLICY_FILE): JSON rules merged on top of
 * the defaults. It is read only from the path the settings name, never from a repository or
 * anything a model or a tool produced, so no content the agents read can change the policy.
 */
import { readFileSync, statSync } from 'node:fs';
import { z } from 'zod';
import { CopilotError } from '../errors/copilot-error.js';
import { DEFAULT_RULE_SPECS, DEFAULT_RULES } from './policy.js';
import { compileRule, type PolicyRule, type RuleSpec, ruleSpecSchema } from './policy-rules.js';

export const policyFileSchema = z.strictObject({
  version: z.literal(1).default(1),
  rules: z.array(ruleSpecSchema).default([]),
});

export type PolicyFile = z.infer<typeof policyFileSchema>;

/** Rules of the file replace the default of the same id; the others are added. Precedence still decides. */
export function mergeRuleSpecs(defaults: RuleSpec[], overrides: RuleSpec[]): RuleSpec[] {
  const byId = new Map(overrides.map((rule) => [rule.id, rule]));
  const merged = defaults.map((rule) => byId.get(rule.id) ?? rule);
  const known = new Set(defaults.map((rule) => rule.id));
  return [...merged, ...overrides.filter((rule) => !known.has(rule.id))];
}

/** Validates a policy document; a bad one fails naming the path of the first wrong field. */
export function parsePolicy(document: unknown, where: string): PolicyFile {
  const parsed = policyFileSchema.safeParse(document);
  if (parsed.success) {
    const ids = parsed.data.rules.map((rule) => rule.id);
    const twice = ids.find((id, index) => ids.indexOf(id) !== index);
    if (twice)
      throw new CopilotError('config_invalid', `policy file ${where}: rule id '${twice}' appears twice`);
    return parsed.data;
  }
  const problems = parsed.error.issues.map(
    (issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(root)'}: ${issue.message}`,
  );
  throw new CopilotError('config_invalid', `policy file ${where} is invalid: ${problems.join('; ')}`);
}

export function readPolicyFile(path: string): PolicyFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new CopilotError(
      'config_invalid',
      `cannot read the policy file ${path} (setting policyFile / AWS_COPILOT_POLICY_FILE): ${(error as Error).message}`,
      { cause: error },
    );
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new CopilotError('config_invalid', `policy file ${path} is not JSON: ${(error as Error).message}`);
  }
  return parsePolicy(document, path);
}

const cache = new Map<string, { mtimeMs: number; size: number; rules: PolicyRule[] }>();

/**
 * The rules in force: the defaults, with the policy file's merged on top when one is configured.
 * The file is read again when it changes, so a person's edit applies to the next plan.
 */
export function policyRules(path: string | undefined): PolicyRule[] {
  if (!path) return DEFAULT_RULES;
  let stat: { mtimeMs: number; size: number };
  try {
    stat = statSync(path);
  } catch (error) {
    throw new CopilotError(
      'config_invalid',
      `the policy file ${path} (setting policyFile / AWS_COPILOT_POLICY_FILE) does not exist: ${(error as Error).message}`,
    );
  }
  const cached = cache.get(path);
  if (cached && cached.mtimeMs === stat.mtimeMs && cached.size === stat.size) return cached.rules;
  const rules = mergeRuleSpecs(DEFAULT_RULE_SPECS, readPolicyFile(path).rules).map(compileRule);
  cache.set(path, { mtimeMs: stat.mtimeMs, size: stat.size, rules });
  return rules;
}
