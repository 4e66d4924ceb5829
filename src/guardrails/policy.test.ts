import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PlanStep } from '../protocol/events.js';
import { DEFAULT_RULES, denyingRule, evaluatePolicy, type PolicyEffect } from './policy.js';
import { parsePolicy, policyRules } from './policy-file.js';
import { compileRule, globToRegExp, tagsOf, valuesAt } from './policy-rules.js';

const step = (
  tool: string,
  args: Record<string, unknown> = {},
  risk: PlanStep['risk'] = 'write',
): PlanStep => ({
  id: tool,
  tool,
  args,
  risk,
  description: '',
});

function policyFile(document: unknown): string {
  const path = join(mkdtempSync(join(tmpdir(), 'policy-')), 'policy.json');
  writeFileSync(path, JSON.stringify(document));
  return path;
}

describe('default policy', () => {
  it('denies IAM changes by tool name and by the IAM actions a tool declares', () => {
    expect(evaluatePolicy([step('create_iam_role')], { interactive: true })).toMatchObject({
      decision: 'veto',
      reasonCode: 'IAM_CHANGE',
    });
    const iamActionsOf = (tool: string) =>
      tool === 'grant_access' ? ['iam:AttachRolePolicy'] : ['iam:PassRole'];
    expect(evaluatePolicy([step('grant_access')], { interactive: true, iamActionsOf }).decision).toBe('veto');
    // Passing a role to a service is not changing IAM.
    expect(evaluatePolicy([step('deploy_lambda')], { interactive: true, iamActionsOf }).decision).toBe(
      'approve',
    );
  });

  it('denies opening SSH to the world, structured or in free text, but not other ports or ranges', () => {
    const open = step('authorize_ingress', {
      rules: [{ cidr_ip: '0.0.0.0/0', from_port: 0, to_port: 1024, protocol: 'tcp' }],
    });
    expect(evaluatePolicy([open], { interactive: true })).toMatchObject({
      decision: 'veto',
      reasonCode: 'OPEN_SSH',
    });
    const script = step('launch_ec2', { user_data: 'ufw allow from 0.0.0.0/0 to any port 22' });
    expect(evaluatePolicy([script], { interactive: true }).decision).toBe('veto');
    const https = step('authorize_ingress', {
      rules: [{ cidr_ip: '0.0.0.0/0', from_port: 443, to_port: 443 }],
    });
    expect(evaluatePolicy([https], { interactive: true }).decision).toBe('approve');
    const office = step('authorize_ingress', { rules: [{ cidr_ip: '203.0.113.0/24', port: 22 }] });
    expect(evaluatePolicy([office], { interactive: true }).decision).toBe('approve');
  });

  it('asks before touching production, named or tagged, and allows reads of it', () => {
    expect(
      evaluatePolicy([step('update_service', { cluster: 'shop-prod' })], { interactive: true }),
    ).toMatchObject({
      decision: 'ask',
      reasonCode: 'PRODUCTION_RESOURCE',
    });
    const tagged = step('launch_ec2', { tags: { Environment: 'Production' } });
    expect(evaluatePolicy([tagged], { interactive: true }).decision).toBe('ask');
    const listTags = step('launch_ec2', { tags: [{ Key: 'stage', Value: 'prod' }] });
    expect(evaluatePolicy([listTags], { interactive: true }).decision).toBe('ask');
    const read = step('describe_services', { cluster: 'shop-prod' }, 'read');
    expect(evaluatePolicy([read], { interactive: true })).toMatchObject({
      decision: 'approve',
      reasonCode: 'READ_ONLY',
    });
    // "product" is not "prod".
    expect(
      evaluatePolicy([step('create_bucket', { bucket_name: 'product-images' })], { interactive: true })
        .decision,
    ).toBe('approve');
  });

  it('takes the strongest effect over every step: deny > ask > allow', () => {
    const decision = evaluatePolicy(
      [
        step('describe_services', {}, 'read'),
        step('terminate_ec2', {}, 'destructive'),
        step('create_iam_user'),
      ],
      { interactive: true },
    );
    expect(decision.decision).toBe('veto');
    expect(decision.reason).toMatch(/create_iam_user/);
    expect(decision.matched.map((match) => match.effect)).toEqual(
      expect.arrayContaining(['allow', 'ask', 'deny']),
    );
  });
});

describe('policy test matrix: deny / ask / allow x interactive or not', () => {
  const rules = [
    compileRule({
      id: 'm-deny',
      effect: 'deny',
      reason_code: 'M_DENY',
      reason: 'denied',
      match: { tool: 'deny_*' },
    }),
    compileRule({
      id: 'm-ask',
      effect: 'ask',
      reason_code: 'M_ASK',
      reason: 'asked',
      match: { tool: 'ask_*' },
    }),
    compileRule({ id: 'm-allow', effect: 'allow', reason_code: 'M_ALLOW', reason: 'allowed', match: {} }),
  ];
  const cases: Array<[PolicyEffect, boolean, 'veto' | 'ask' | 'approve']> = [
    ['deny', true, 'veto'],
    ['deny', false, 'veto'],
    ['ask', true, 'ask'],
    ['ask', false, 'veto'],
    ['allow', true, 'approve'],
    ['allow', false, 'approve'],
  ];
  it.each(cases)('%s, interactive %s -> %s', (effect, interactive, expected) => {
    const decision = evaluatePolicy([step(`${effect}_thing`)], { interactive, rules });
    expect(decision.decision).toBe(expected);
    if (effect === 'ask' && !interactive) expect(decision.reason).toMatch(/no person can be asked/);
  });
});

describe('rule matching', () => {
  it('matches globs with alternatives, argument paths, tags and resource names', () => {
    expect(globToRegExp('{create,delete}_*').test('delete_bucket')).toBe(true);
    expect(globToRegExp('{create,delete}_*').test('update_bucket')).toBe(false);
    expect(valuesAt({ a: [{ b: 1 }, { b: 2 }] }, 'a.*.b')).toEqual([1, 2]);
    expect(valuesAt({ a: { x: { b: 3 } } }, 'a.**.b')).toEqual([3]);
    expect(tagsOf({ nested: { Tags: [{ Key: 'Env', Value: 'prod' }] } })).toEqual([['Env', 'prod']]);
    const rule = compileRule({
      id: 'big-instances',
      effect: 'ask',
      reason_code: 'BIG_INSTANCE',
      reason: 'large instance types cost money',
      match: { tool: 'launch_*', args: [{ path: 'instance_type', regex: '\\.(8|12|16|24)xlarge$' }] },
    });
    expect(rule.matches(step('launch_ec2', { instance_type: 'm5.24xlarge' }))).toBe(true);
    expect(rule.matches(step('launch_ec2', { instance_type: 't3.micro' }))).toBe(false);
    const equals = compileRule({
      id: 'no-public',
      effect: 'deny',
      reason_code: 'PUBLIC',
      reason: 'no public sites',
      match: { args: [{ path: 'public', equals: true }] },
    });
    expect(equals.matches(step('publish_static_site', { public: true }))).toBe(true);
    expect(equals.matches(step('publish_static_site', { public: false }))).toBe(false);
  });
});

describe('policy file', () => {
  it('merges its rules on top of the defaults; a rule with a default id replaces it', () => {
    const path = policyFile({
      version: 1,
      rules: [
        {
          id: 'deny-shop-buckets',
          effect: 'deny',
          reason_code: 'SHOP_BUCKETS',
          reason: 'shop buckets are managed by terraform',
          match: { tool: 'create_bucket', args: [{ path: 'bucket_name', regex: '^shop-' }] },
        },
        {
          id: 'ask-production',
          effect: 'allow',
          reason_code: 'PROD_OK',
          reason: 'we deploy to prod freely',
          match: {},
        },
      ],
    });
    const rules = policyRules(path);
    expect(rules.map((rule) => rule.id)).toContain('deny-shop-buckets');
    expect(rules.find((rule) => rule.id === 'ask-production')?.effect).toBe('allow');
    expect(rules.length).toBe(DEFAULT_RULES.length + 1);
    expect(
      evaluatePolicy([step('create_bucket', { bucket_name: 'shop-assets' })], { interactive: true, rules }),
    ).toMatchObject({
      decision: 'veto',
      reasonCode: 'SHOP_BUCKETS',
    });
    // The production tag rule is a separate default and still asks.
    expect(
      evaluatePolicy([step('launch_ec2', { tags: { Environment: 'production' } })], {
        interactive: true,
        rules,
      }).decision,
    ).toBe('ask');
    expect(denyingRule(step('create_bucket', { bucket_name: 'shop-x' }), { rules })?.id).toBe(
      'deny-shop-buckets',
    );
  });

  it('reports the path of the first invalid field', () => {
    const bad = (document: unknown) => () => parsePolicy(document, 'p.json');
    expect(bad({ rules: [{ id: 'x', effect: 'maybe', reason_code: 'X', reason: 'r', match: {} }] })).toThrow(
      /policy file p\.json is invalid: rules\.0\.effect/,
    );
    expect(
      bad({
        rules: [
          {
            id: 'x',
            effect: 'deny',
            reason_code: 'X',
            reason: 'r',
            match: { args: [{ path: 'a', regex: '(' }] },
          },
        ],
      }),
    ).toThrow(/rules\.0\.match\.args\.0\.regex: not a valid regular expression/);
    expect(
      bad({ rules: [{ id: 'x', effect: 'deny', reason_code: 'X', reason: 'r', match: { colour: 'red' } }] }),
    ).toThrow(/rules\.0\.match/);
    const a = { id: 'x', effect: 'deny', reason_code: 'X', reason: 'r', match: {} };
    expect(bad({ rules: [a, a] })).toThrow(/rule id 'x' appears twice/);
    const notJson = join(mkdtempSync(join(tmpdir(), 'policy-')), 'p.json');
    writeFileSync(notJson, '{ nope');
    expect(() => policyRules(notJson)).toThrow(/is not JSON/);
    expect(() => policyRules('/nonexistent/policy.json')).toThrow(/AWS_COPILOT_POLICY_FILE/);
  });
});
