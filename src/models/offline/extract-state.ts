/** The shared state of one extraction: the request's mentions and which tokens a field already took. */
import type { Mentions } from './entities.js';
import type { FieldInfo } from './field-kinds.js';
import { conceptsOfWords, isConceptWord, relatedness } from './lexicon.js';
import { inRegion } from './regions.js';
import { isStopWord, numberOf, type Token } from './text.js';

export interface ExtractState {
  mentions: Mentions;
  /** Token indexes a field has taken; one word fills one field. */
  claimed: Set<number>;
  /** Quoted spans already used, by start offset. */
  claimedQuotes: Set<number>;
  /** How sure each filled field is: 4 explicit (`cluster=prod`), 3 cue, 2 position, 1 guess. */
  strength: Record<string, number>;
  args: Record<string, unknown>;
}

export function newState(mentions: Mentions): ExtractState {
  return { mentions, claimed: new Set(), claimedQuotes: new Set(), strength: {}, args: {} };
}

export function claim(state: ExtractState, tokens: Token[]): void {
  for (const token of tokens) state.claimed.add(token.index);
}

export function isClaimed(state: ExtractState, token: Token): boolean {
  return state.claimed.has(token.index);
}

/** Words that introduce a value after its cue: "cluster named prod", "function: shop-api". */
export const FILLERS = new Set([
  'named',
  'called',
  'name',
  'the',
  'is',
  'of',
  '=',
  ':',
  '-',
  'id',
  'arn',
  'titled',
  'labelled',
  'labeled',
  'identifier',
  'as',
  'at',
  'type',
]);

/** Whether one cue phrase starts at `index`. */
export function cueAt(tokens: Token[], index: number, cue: string[]): boolean {
  return cue.every((word, offset) => tokens[index + offset]?.stem === word);
}

/**
 * Whether a token can be the value of a name-like field: not a stop word, not a word of the
 * field's own concept ("ecs" in "ecs cluster"), not a region, and accepted by the field's pattern.
 */
export function acceptsToken(
  info: FieldInfo,
  token: Token,
  state: ExtractState,
  position: 'after' | 'before' | 'loose',
): boolean {
  const raw = token.raw;
  if (isClaimed(state, token) || isStopWord(token) || inRegion(token, state.mentions.regions)) return false;
  if (!/[A-Za-z0-9]/.test(raw) || raw.length > 300) return false;
  if (info.pattern && !info.pattern.test(raw)) return false;
  // A path is a name's value only when the field's own example is a path ("/ecs/web").
  const isPath = state.mentions.paths.some((path) => path.token.index === token.index);
  if (isPath && (info.kind === 'name' || info.kind === 'name-list') && !pathShaped(info)) return false;
  if (/^-?\d+(\.\d+)?$/.test(raw) && !info.pattern && raw.length < 6) return false;
  if (numberOf(token) !== undefined && /^[a-z]+$/.test(token.lower)) return false;
  if (info.cues.some((cue) => cue.length === 1 && cue[0] === token.stem)) return false;
  if (isConceptWord(raw)) {
    if (position !== 'after' && !/[-_.\d]/.test(raw)) {
      // "api service": a noun may name a thing, a verb or a word of the cue's own family may not.
      if (!nounOutsideCue(info, token)) return false;
    }
    if (position === 'after' && isVerbWord(token)) return false;
  }
  return true;
}

function pathShaped(info: FieldInfo): boolean {
  const description = `${info.field.schema.description ?? ''} ${info.field.schema.items?.description ?? ''}`;
  const example = /e\.g\.\s*([^\s,;)]+)/.exec(description)?.[1] ?? '';
  return example.includes('/') || /path|folder|\bURI\b|\bURL\b/i.test(description);
}

const VERB_STEMS = new Set(
  [
    'stop',
    'start',
    'run',
    'launch',
    'create',
    'delete',
    'terminate',
    'list',
    'show',
    'describe',
    'deploy',
    'update',
    'scale',
    'invoke',
    'upload',
    'download',
    'read',
    'get',
    'search',
    'find',
    'restart',
    'kill',
    'remove',
    'publish',
    'register',
    'check',
  ].map((word) => word.replace(/e$/, '')),
);

function isVerbWord(token: Token): boolean {
  return VERB_STEMS.has(token.stem);
}

function nounOutsideCue(info: FieldInfo, token: Token): boolean {
  if (isVerbWord(token)) return false;
  // A word of the same family as the field ("lambda" for a function) describes it rather than naming it.
  const own = conceptsOfWords(info.cues.flat());
  return !own.some((concept) => conceptOfWord(token.lower).some((other) => relatedness(other, concept) > 0));
}

const conceptCache = new Map<string, string[]>();

function conceptOfWord(word: string): string[] {
  let concepts = conceptCache.get(word);
  if (!concepts) {
    concepts = conceptsOfWords([word]);
    conceptCache.set(word, concepts);
  }
  return concepts;
}
