/**
 * String values found through their cue words: "cluster prod", "the web service", "function
 * called shop-api", "reason: disk full", lists ("services web and api"), distinctive formats
 * (ami-..., i-..., ARNs) and values shaped like the field's own example ("/ecs/web").
 */
import type { QuotedMention } from './entities.js';
import { acceptsToken, claim, cueAt, type ExtractState, FILLERS, isClaimed } from './extract-state.js';
import type { FieldInfo } from './field-kinds.js';
import { isConceptWord } from './lexicon.js';
import { stem, type Token } from './text.js';

export interface Candidate {
  value: string | string[];
  strength: number;
  tokens: Token[];
  quoteStart?: number;
}

const NAMING = new Set(['named', 'called', 'titled', 'labelled', 'labeled']);
const LIST_JOINERS = new Set(['and', '&', 'plus']);

function quotedAt(state: ExtractState, token: Token | undefined) {
  if (!token) return undefined;
  return state.mentions.quoted.find(
    (quote) => quote.start <= token.start && quote.end >= token.end && !state.claimedQuotes.has(quote.start),
  );
}

/** Tokens covered by a quoted span, so the words inside it are not taken again. */
function tokensWithin(state: ExtractState, start: number, end: number): Token[] {
  return state.mentions.tokens.filter((token) => token.start >= start && token.end <= end);
}

function quotedCandidate(state: ExtractState, quote: QuotedMention, strength: number): Candidate {
  return {
    value: quote.value,
    strength,
    tokens: tokensWithin(state, quote.start, quote.end),
    quoteStart: quote.start,
  };
}

function valueAfter(
  info: FieldInfo,
  state: ExtractState,
  from: number,
  isList: boolean,
): Candidate | undefined {
  const tokens = state.mentions.tokens;
  let index = from;
  let filled = false;
  for (let skipped = 0; skipped < 3; skipped++) {
    const token = tokens[index];
    const describing = token !== undefined && token.stem === info.head && !/[-_.\d]/.test(token.raw);
    // "with" introduces a value only as "with name X" / "with the id X".
    const withName = token?.lower === 'with' && FILLERS.has(tokens[index + 1]?.lower ?? '');
    if (!token || !(FILLERS.has(token.lower) || describing || withName) || quotedAt(state, token)) break;
    if (tokens[index - 1]?.boundaryAfter) return undefined;
    filled = true;
    index++;
  }
  const first = tokens[index];
  if (!first || tokens[index - 1]?.boundaryAfter) return undefined;
  const quote = quotedAt(state, first);
  if (quote) return quotedCandidate(state, quote, 3.5);
  if (!acceptsToken(info, first, state, 'after')) return undefined;
  const taken = [first];
  if (isList) {
    let next = index + 1;
    for (;;) {
      const previous = tokens[next - 1];
      if (!previous || /[.!?;]/.test(textAfter(state, previous))) break;
      let candidate = tokens[next];
      if (candidate && LIST_JOINERS.has(candidate.lower)) candidate = tokens[++next];
      const separated = tokens[next - 1]?.boundaryAfter || LIST_JOINERS.has(tokens[next - 1]?.lower ?? '');
      if (!candidate || !separated || !acceptsToken(info, candidate, state, 'after')) break;
      taken.push(candidate);
      next++;
    }
  }
  return {
    value: isList ? taken.map((token) => token.raw) : first.raw,
    strength: filled ? 3.5 : 3,
    tokens: taken,
  };
}

function textAfter(state: ExtractState, token: Token): string {
  return state.mentions.text.slice(token.end, token.end + 1);
}

/** "cluster for staging named stage-1": a naming word a few tokens after the cue. */
function namedLater(info: FieldInfo, state: ExtractState, from: number): Candidate | undefined {
  const tokens = state.mentions.tokens;
  for (let index = from; index < from + 5; index++) {
    const token = tokens[index];
    if (!token) return undefined;
    if (NAMING.has(token.lower)) return valueAfter(info, state, index + 1, false);
    if (token.boundaryAfter) return undefined;
  }
  return undefined;
}

function valueBefore(
  info: FieldInfo,
  state: ExtractState,
  cueIndex: number,
  isList: boolean,
): Candidate | undefined {
  const tokens = state.mentions.tokens;
  let index = cueIndex - 1;
  // "404.html as the error page": look past an article and "as".
  while (
    index >= 0 &&
    ['the', 'as', 'a', 'an'].includes(tokens[index]?.lower ?? '') &&
    cueIndex - index < 3
  ) {
    index--;
  }
  const token = tokens[index];
  if (!token || token.boundaryAfter) return undefined;
  const quote = quotedAt(state, token);
  if (quote) return quotedCandidate(state, quote, 2.5);
  if (!acceptsToken(info, token, state, 'before')) return undefined;
  if (!isList) return { value: token.raw, strength: 2, tokens: [token] };
  // "the api and worker services": walk back over a list.
  const taken = [token];
  for (let previous = index - 1; previous >= 0; previous--) {
    let candidate = tokens[previous];
    const joined = candidate && LIST_JOINERS.has(candidate.lower);
    if (joined) candidate = tokens[--previous];
    if (!candidate || !(joined || candidate.boundaryAfter) || !acceptsToken(info, candidate, state, 'before'))
      break;
    taken.unshift(candidate);
  }
  return { value: taken.map((item) => item.raw), strength: 2, tokens: taken };
}

/** A weak cue only introduces a word that means nothing else ("in backend", not "in cluster"). */
function plainWord(candidate: Candidate): boolean {
  return candidate.tokens.every((token) => !isConceptWord(token.raw) || /[-_./\d]/.test(token.raw));
}

/** Every value the field's cue words introduce, strongest first. */
export function cueCandidates(info: FieldInfo, state: ExtractState): Candidate[] {
  const tokens = state.mentions.tokens;
  const isList = info.kind === 'name-list' || info.kind === 'distinct-list';
  const found: Candidate[] = [];
  for (let index = 0; index < tokens.length; index++) {
    const strong = info.cues.find((phrase) => cueAt(tokens, index, phrase));
    const cue = strong ?? info.weakCues.find((phrase) => cueAt(tokens, index, phrase));
    if (!cue) continue;
    const end = index + cue.length;
    const after = valueAfter(info, state, end, isList) ?? namedLater(info, state, end);
    // A weak cue is a preposition or a describing noun: its value follows it.
    const before = strong ? valueBefore(info, state, index, isList) : undefined;
    for (const candidate of [after, before]) {
      if (!candidate) continue;
      if (strong) found.push(candidate);
      else if (plainWord(candidate)) found.push({ ...candidate, strength: candidate.strength - 0.5 });
    }
    index = end - 1;
  }
  // "cluster=prod" or "function_name=shop-api": an explicit pair naming the field.
  for (const pair of state.mentions.pairs) {
    const key = pair.key.toLowerCase();
    const matches = key === info.field.name || info.cues.some((cue) => cue.join(' ') === stem(key));
    if (matches && pair.value) {
      const pairTokens = tokens.filter((token) => token.start >= pair.start && token.end <= pair.end);
      found.push({ value: pair.value, strength: 4, tokens: pairTokens });
    }
  }
  return found.sort((a, b) => b.strength - a.strength);
}

/** Free text after its cue: a quoted string, else the rest of the clause ("because the disk is full"). */
export function textCandidate(info: FieldInfo, state: ExtractState): Candidate | undefined {
  const tokens = state.mentions.tokens;
  for (let index = 0; index < tokens.length; index++) {
    const cue = info.cues.find((phrase) => cueAt(tokens, index, phrase));
    if (!cue) continue;
    let start = index + cue.length;
    while (tokens[start] && FILLERS.has(tokens[start]?.lower ?? '') && !quotedAt(state, tokens[start]))
      start++;
    const first = tokens[start];
    if (!first || isClaimed(state, first)) continue;
    const quote = quotedAt(state, first);
    if (quote) return quotedCandidate(state, quote, 3.5);
    const taken: Token[] = [];
    for (let next = start; next < tokens.length; next++) {
      const token = tokens[next];
      if (!token || isClaimed(state, token) || STOP_TEXT.has(token.lower)) break;
      taken.push(token);
      if (token.boundaryAfter) break;
    }
    if (taken.length > 0) {
      const text = state.mentions.text.slice(taken[0]?.start, taken.at(-1)?.end);
      return { value: text, strength: 2.5, tokens: taken };
    }
  }
  return undefined;
}

/** Words that end a free-text value: the next part of the request starts there. */
const STOP_TEXT = new Set([
  'in',
  'from',
  'on',
  'since',
  'over',
  'during',
  'between',
  'within',
  'and',
  'then',
]);

/** Tokens matching a distinctive pattern (ami-..., i-..., t3.micro, 40-hex commits) anywhere. */
export function patternCandidates(info: FieldInfo, state: ExtractState): Candidate[] {
  const pattern = info.pattern;
  if (!pattern) return [];
  const found = state.mentions.tokens.filter((token) => !isClaimed(state, token) && pattern.test(token.raw));
  return found.map((token) => ({ value: token.raw, strength: 3.5, tokens: [token] }));
}

/**
 * ARNs whose resource type names the field: `...:task-definition/web:3` for a task definition,
 * `...:role/x` for a role. A cue word just before the ARN ("execution role arn:...") decides
 * between two role fields.
 */
export function arnCandidates(info: FieldInfo, state: ExtractState): Candidate[] {
  const accepts = info.pattern
    ? info.pattern.test.bind(info.pattern)
    : () => /\bARN\b/i.test(info.field.schema.description ?? '');
  const found: Candidate[] = [];
  for (const token of state.mentions.arns) {
    if (isClaimed(state, token) || !accepts(token.raw)) continue;
    const resource = /^arn:[^:]+:[^:]*:[^:]*:[^:]*:([a-z-]+)[/:]/.exec(token.raw)?.[1] ?? '';
    const resourceStems = resource.split('-').map(stem);
    const named = info.cues.some(
      (cue) => cue.join(' ') === resourceStems.join(' ') || cue.includes(resourceStems.at(-1) ?? ''),
    );
    if (!named && !info.pattern) continue;
    const before = state.mentions.tokens.slice(Math.max(0, token.index - 3), token.index);
    const cued = info.cues.some(
      (cue) => cue.length > 1 && before.some((_, offset) => cueAt(before, offset, cue)),
    );
    found.push({ value: token.raw, strength: cued ? 4 : named ? 3.5 : 3, tokens: [token] });
  }
  return found.sort((a, b) => b.strength - a.strength);
}

/** What the field's description gives as an example (`e.g. /ecs/web`): a value of the same shape is likely this field's. */
export function exampleShape(info: FieldInfo): RegExp | undefined {
  const description = `${info.field.schema.description ?? ''} ${info.field.schema.items?.description ?? ''}`;
  const example = /e\.g\.\s*([^\s,;)]+)/.exec(description)?.[1];
  if (!example?.includes('/')) return undefined;
  if (example.startsWith('/')) return /^\/[\w.#/-]+$/;
  // Same start (a letter or digit), same number of parts, a tag (":1") only when the example has one.
  const depth = example.split('/').length;
  const tag = example.includes(':') ? ':[\\w.-]+' : '';
  return new RegExp(`^[A-Za-z0-9][\\w.-]*(/[\\w.-]+){${depth - 1},}${tag}$`);
}

export function shapeCandidates(info: FieldInfo, state: ExtractState): Candidate[] {
  const shape = exampleShape(info);
  if (!shape) return [];
  return state.mentions.tokens
    .filter((token) => !isClaimed(state, token) && shape.test(token.raw) && !token.raw.includes('://'))
    .map((token) => ({ value: token.raw, strength: 2.5, tokens: [token] }));
}

export function take(state: ExtractState, info: FieldInfo, candidate: Candidate): void {
  state.args[info.field.name] = candidate.value;
  state.strength[info.field.name] = candidate.strength;
  claim(state, candidate.tokens);
  if (candidate.quoteStart !== undefined) state.claimedQuotes.add(candidate.quoteStart);
}

/** A list field takes a single value as a one-item list. */
export function listValue(info: FieldInfo, candidate: Candidate): Candidate {
  const isList = info.kind === 'name-list' || info.kind === 'distinct-list';
  if (isList && typeof candidate.value === 'string') return { ...candidate, value: [candidate.value] };
  return candidate;
}
