/**
 * Choosing one member of a required enum from what a request says, for classifier tools such as a
 * router (`workflow: deploy | ecs | tool | chat`). Each member is profiled from its own words, the
 * part of the field's description that explains it, and what common workflow labels mean.
 */
import type { Mentions } from './entities.js';
import { conceptKind, conceptsOf, relatedness } from './lexicon.js';
import { requestConcepts } from './request-concepts.js';
import { tokenize } from './text.js';

type Profile = Record<string, number>;

const ACTION_VERBS = [
  'launch',
  'start',
  'run',
  'create',
  'stop',
  'terminate',
  'list',
  'describe',
  'find',
  'upload',
  'download',
  'publish',
  'update',
  'scale',
  'rollback',
  'invoke',
  'register',
  'read',
  'get',
  'search',
  'sync',
  'install',
  'build',
  'test',
  'who',
];

const RESOURCES = [
  'instance',
  'image',
  'bucket',
  'object',
  'file',
  'site',
  'function',
  'code',
  'cluster',
  'service',
  'task',
  'taskdef',
  'log',
  'identity',
  'folder',
  'command',
  'pnpm',
  'uv',
];

function profileFrom(entries: Array<[string[], number]>): Profile {
  const profile: Profile = {};
  for (const [concepts, weight] of entries) for (const concept of concepts) profile[concept] = weight;
  return profile;
}

/** What common workflow labels mean, beyond their own words. */
const LABELS: Array<{ pattern: RegExp; profile: Profile; base: number }> = [
  {
    pattern: /^(deploy|deployment|deploys|ship|release)$/,
    profile: profileFrom([
      [['deploy'], 3],
      [['repo', 'app'], 1],
      [['publish'], 0.5],
    ]),
    base: 0,
  },
  {
    pattern: /^(ecs|diagnose|diagnosis|troubleshoot|repair|ops|incident|triage|operations)$/,
    profile: profileFrom([
      [['diagnose', 'symptom'], 3],
      [['ecs', 'service', 'task', 'error'], 1],
      [['cluster', 'log', 'taskdef'], 0.5],
      [['function', 'bucket', 'site'], -1.5],
    ]),
    base: 0,
  },
  {
    pattern: /^(tool|tools|action|command|catalog|direct|single|call)$/,
    profile: profileFrom([
      [ACTION_VERBS, 2],
      [RESOURCES, 1],
      [['diagnose', 'symptom'], -1],
    ]),
    base: 0,
  },
  {
    pattern: /^(chat|other|general|none|smalltalk|unknown|fallback|conversation|question|help|answer)$/,
    profile: profileFrom([[['explain', 'greet'], 2]]),
    base: 1,
  },
];

/** The part of a description that explains one member: "ecs: diagnose or repair an ECS service; ...". */
function explanationOf(value: string, description: string): string {
  const index = description.toLowerCase().indexOf(value.toLowerCase());
  if (index < 0) return '';
  const rest = description.slice(index + value.length);
  return rest.split(/[;\n]|,\s*(?=['"`]?\w+['"`]?\s*[:=(-])/)[0] ?? '';
}

function profileOfMember(value: string, description: string): { profile: Profile; base: number } {
  const profile: Profile = {};
  let base = 0;
  const own = conceptsOf(tokenize(value.replace(/[_-]/g, ' ')));
  for (const hit of own) profile[hit.concept] = Math.max(profile[hit.concept] ?? 0, 2);
  for (const hit of conceptsOf(tokenize(explanationOf(value, description)))) {
    profile[hit.concept] = Math.max(profile[hit.concept] ?? 0, 1);
  }
  const label = LABELS.find((entry) => entry.pattern.test(value.toLowerCase()));
  if (label) {
    for (const [concept, weight] of Object.entries(label.profile)) {
      profile[concept] = weight < 0 ? weight : Math.max(profile[concept] ?? 0, weight);
    }
    base = label.base;
  }
  return { profile, base };
}

export interface EnumChoice {
  value: string;
  /** Something in the request spoke for the member, beyond a fallback's own base score. */
  confident: boolean;
}

/** The member the request supports best; the first member when nothing speaks for any. */
export function chooseEnumMember(values: string[], description: string, mentions: Mentions): EnumChoice {
  const said = requestConcepts(mentions);
  const exact = values.filter((value) =>
    mentions.tokens.some((token) => token.lower === value.toLowerCase()),
  );
  let best = values[0] ?? '';
  let bestScore = Number.NEGATIVE_INFINITY;
  let bestEvidence = 0;
  for (const value of values) {
    const { profile, base } = profileOfMember(value, description);
    const ownConcepts = conceptsOf(tokenize(value.replace(/[_-]/g, ' '))).map((hit) => hit.concept);
    // A member written out counts, once: not again through its own concept.
    const literal = exact.includes(value) && !ownConcepts.some((concept) => said.has(concept)) ? 1 : 0;
    let score = base + literal;
    // Each thing the request says counts once, for the member concept it supports best.
    for (const [concept, emphasis] of said) {
      let support = 0;
      for (const [member, weight] of Object.entries(profile)) {
        if (weight < 0) continue;
        const scale = conceptKind(member) === 'noun' ? 0.8 : 1;
        support = Math.max(support, weight * relatedness(concept, member) * scale * emphasis);
      }
      score += support + Math.min(0, profile[concept] ?? 0);
    }
    if (score > bestScore) {
      best = value;
      bestScore = score;
      bestEvidence = score - base;
    }
  }
  return { value: best, confident: bestEvidence >= 1 };
}
