/**
 * What words mean to the offline model: requests and tools are both read through the concepts of
 * lexicon-terms.ts, so a tool the model has never seen is understood from its own words.
 */
import { CONCEPTS, type ConceptKind, RELATED } from './lexicon-terms.js';
import { stem, type Token } from './text.js';

export interface ConceptHit {
  concept: string;
  kind: ConceptKind;
  /** How surely the words express the concept, 0..1. */
  weight: number;
  /** Index of the first token of the phrase. */
  index: number;
  /** Number of tokens the phrase covers. */
  length: number;
}

interface Phrase {
  stems: string[];
  concept: string;
  weight: number;
}

function buildPhrases(): Map<string, Phrase[]> {
  const byFirst = new Map<string, Phrase[]>();
  for (const [concept, entry] of Object.entries(CONCEPTS)) {
    for (const written of entry.terms.split('|')) {
      const [term = '', weight = '1'] = written.split('~');
      const stems = term.split(/\s+/).map(stem);
      const first = stems[0] ?? '';
      const list = byFirst.get(first) ?? [];
      list.push({ stems, concept, weight: Number(weight) });
      byFirst.set(first, list);
    }
  }
  for (const list of byFirst.values()) list.sort((a, b) => b.stems.length - a.stems.length);
  return byFirst;
}

const PHRASES = buildPhrases();

const RELATION = new Map<string, number>();
for (const [from, to, weight] of RELATED) RELATION.set(`${from}>${to}`, weight);

export function conceptKind(concept: string): ConceptKind {
  return CONCEPTS[concept]?.kind ?? 'noun';
}

/** How much request concept `from` supports tool concept `to`, 0..1. */
export function relatedness(from: string, to: string): number {
  if (from === to) return 1;
  return RELATION.get(`${from}>${to}`) ?? RELATION.get(`${to}>${from}`) ?? 0;
}

/**
 * Concepts expressed by a run of tokens, longest phrase first; one word can express several
 * concepts ("show" lists and describes), so every phrase starting at a token is reported.
 */
export function conceptsOf(tokens: Token[]): ConceptHit[] {
  const hits: ConceptHit[] = [];
  let coveredUntil = -1;
  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index];
    if (!token) continue;
    const phrases = PHRASES.get(token.stem) ?? [];
    let longest = 0;
    for (const phrase of phrases) {
      const span = phraseSpan(tokens, index, phrase.stems);
      if (span === 0) continue;
      // A word inside a longer phrase already matched ("task" in "task definition") adds nothing.
      if (index <= coveredUntil && phrase.stems.length === 1) continue;
      if (longest > 0 && span < longest) continue;
      longest = Math.max(longest, span);
      hits.push({
        concept: phrase.concept,
        kind: conceptKind(phrase.concept),
        weight: phrase.weight,
        index,
        length: span,
      });
    }
    if (longest > 1) coveredUntil = Math.max(coveredUntil, index + longest - 1);
  }
  return hits;
}

/** Words that may sit inside a two-word verb: "shut it down", "spin them up". */
const PRONOUNS = new Set(['it', 'them', 'this', 'that', 'these', 'those', 'everything']);

/** How many tokens a phrase covers starting at `index` (0 when it does not match). */
function phraseSpan(tokens: Token[], index: number, stems: string[]): number {
  if (stems.every((word, offset) => tokens[index + offset]?.stem === word)) return stems.length;
  const [verb, particle] = stems;
  const between = tokens[index + 1];
  if (stems.length === 2 && between && PRONOUNS.has(between.lower) && tokens[index]?.stem === verb) {
    return tokens[index + 2]?.stem === particle ? 3 : 0;
  }
  return 0;
}

/** Concepts of a single word or short phrase, for tool names and field names. */
export function conceptsOfWords(words: string[]): string[] {
  const tokens: Token[] = words.map((word, index) => ({
    raw: word,
    lower: word.toLowerCase(),
    stem: stem(word),
    start: 0,
    end: 0,
    index,
    boundaryAfter: false,
  }));
  return [...new Set(conceptsOf(tokens).map((hit) => hit.concept))];
}

/** True when `word` (any form) is a term of some concept; such words are never taken as names. */
export function isConceptWord(word: string): boolean {
  return PHRASES.has(stem(word));
}
