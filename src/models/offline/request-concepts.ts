/**
 * What a request talks about, as concepts with an emphasis: negated words are left out, an action
 * asked about ("why did the task stop") is a request to describe, an action named as an event
 * ("slow since the deploy") is no request at all, and a noun after "in"/"on" is where, not what.
 */
import type { Mentions } from './entities.js';
import { type ConceptHit, conceptsOf } from './lexicon.js';
import { isNegated, isStopWord, type Token } from './text.js';

/** Concept -> emphasis (1 the subject of the request, 0.5 a place it mentions). */
export type RequestConcepts = Map<string, number>;

const QUESTION_WORDS = new Set(['why', 'how', 'when']);
const AUXILIARIES = new Set(['did', 'does', 'do', 'was', 'were', 'is', 'are', 'has', 'have', 'had']);
/** Words after which an action word names an event rather than asks for one: "since the deploy". */
const EVENT_MARKERS = new Set([
  'the',
  'a',
  'since',
  'after',
  'before',
  'last',
  'latest',
  'recent',
  'previous',
  'during',
]);
/** Prepositions that introduce where something is: the noun after them is a place, not the target. */
const LOCATIONS = new Set(['in', 'on', 'at', 'inside', 'within', 'from', 'across']);

function isQuestionVerb(tokens: Token[], hit: ConceptHit): boolean {
  let sawAuxiliary = false;
  for (let index = hit.index - 1; index >= 0; index--) {
    const token = tokens[index];
    if (!token || token.boundaryAfter) return false;
    if (AUXILIARIES.has(token.lower)) sawAuxiliary = true;
    if (QUESTION_WORDS.has(token.lower)) return sawAuxiliary;
  }
  return false;
}

function isEventNoun(tokens: Token[], hit: ConceptHit): boolean {
  const before = tokens[hit.index - 1];
  return before !== undefined && (EVENT_MARKERS.has(before.lower) || /'s$/.test(before.lower));
}

function isPlace(tokens: Token[], hit: ConceptHit): boolean {
  for (let back = 1; back <= 3; back++) {
    const token = tokens[hit.index - back];
    if (!token || token.boundaryAfter) return false;
    if (LOCATIONS.has(token.lower)) return true;
    if (!['the', 'a', 'an', 'my', 'our', 'this', 'that'].includes(token.lower) && back > 1) return false;
  }
  return false;
}

/** Words that name rather than act: "a bucket called logs", "call it logs" call nothing. */
const NAMING = new Set(['called', 'named', 'titled', 'labelled', 'labeled']);

function isNaming(tokens: Token[], index: number): boolean {
  const token = tokens[index];
  if (!token) return false;
  if (NAMING.has(token.lower)) return true;
  return (
    ['call', 'name'].includes(token.lower) &&
    ['it', 'them', 'this', 'that'].includes(tokens[index + 1]?.lower ?? '')
  );
}

/** A word outside the lexicon, compared as itself: lets a tool the lexicon never heard of be matched. */
export function wordConcept(token: Pick<Token, 'stem' | 'lower'>): string | undefined {
  if (!/^[a-z]{3,}$/.test(token.lower) || isStopWord(token)) return undefined;
  return `w:${token.stem}`;
}

/** Raw words of tokens no concept covers. */
export function uncoveredWords(tokens: Token[], hits: ConceptHit[]): string[] {
  const covered = new Set(
    hits.flatMap((hit) => Array.from({ length: hit.length }, (_, offset) => hit.index + offset)),
  );
  return tokens.filter((token) => !covered.has(token.index)).flatMap((token) => wordConcept(token) ?? []);
}

/** Actions the request explicitly does not want: "don't terminate it". */
export function negatedVerbs(mentions: Mentions): Set<string> {
  const tokens = mentions.tokens;
  return new Set(
    conceptsOf(tokens)
      .filter((hit) => hit.kind === 'verb' && isNegated(tokens, hit.index))
      .map((hit) => hit.concept),
  );
}
const PASSIVE = new Set(['get', 'gets', 'got', 'getting', 'been', 'being']);

/** "tasks get killed": an action that happens to something is a symptom, not a request. */
function isPassive(tokens: Token[], hit: ConceptHit): boolean {
  const token = tokens[hit.index];
  const before = tokens[hit.index - 1];
  return token !== undefined && /ed$/.test(token.lower) && before !== undefined && PASSIVE.has(before.lower);
}

/** The thing the first action is done to: "spin up service payments", "stop the task". */
function directObject(tokens: Token[], hits: ConceptHit[]): ConceptHit | undefined {
  const verb = hits.find(
    (hit) => hit.kind === 'verb' && hit.weight === 1 && !['explain', 'greet', 'who'].includes(hit.concept),
  );
  if (!verb) return undefined;
  const end = verb.index + verb.length;
  return hits.find(
    (hit) => hit.kind === 'noun' && hit.index >= end && hit.index <= end + 2 && tokens[hit.index],
  );
}

function add(concepts: RequestConcepts, concept: string, emphasis: number): void {
  concepts.set(concept, Math.max(concepts.get(concept) ?? 0, emphasis));
}

export function requestConcepts(mentions: Mentions): RequestConcepts {
  const tokens = mentions.tokens;
  const all = conceptsOf(tokens);
  const hits = all.filter((hit) => !isNegated(tokens, hit.index) && !isNaming(tokens, hit.index));
  const hasSymptom = hits.some((hit) => hit.kind === 'symptom');
  const concepts: RequestConcepts = new Map();
  const object = directObject(tokens, hits);
  for (const hit of hits) {
    if (hit.kind === 'noun') {
      const emphasis = hit === object ? 1.5 : isPlace(tokens, hit) ? 0.5 : 1;
      add(concepts, hit.concept, emphasis * hit.weight);
    } else if (hit.kind !== 'verb') add(concepts, hit.concept, hit.weight);
    else if (isQuestionVerb(tokens, hit)) add(concepts, 'describe', 1);
    else if (isPassive(tokens, hit)) add(concepts, 'symptom', 1);
    else if (!(hasSymptom && isEventNoun(tokens, hit))) {
      // An action after "and" ("grab X and put it in Y") finishes the request rather than naming it.
      const afterAnd = ['and', 'then'].includes(tokens[hit.index - 1]?.lower ?? '');
      add(concepts, hit.concept, hit.weight * (afterAnd ? 0.7 : 1));
    }
  }
  if (mentions.paths.some((path) => path.isFile)) add(concepts, 'file', 1);
  if (mentions.paths.some((path) => !path.isFile && !path.value.startsWith('/'))) add(concepts, 'folder', 1);
  if (mentions.urls.length > 0) add(concepts, 'repo', 1);
  if (mentions.s3Uris.length > 0) add(concepts, 'bucket', 1);
  if (mentions.quoted.some((quote) => /^[\w.-]+\s+-{0,2}\w/.test(quote.value))) add(concepts, 'command', 1);
  for (const word of uncoveredWords(tokens, all)) add(concepts, word, 0.5);
  return concepts;
}
