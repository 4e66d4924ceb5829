/**
 * The offline embedder: feature hashing, no model and no network. Word unigrams, word bigrams and character
 * trigrams are hashed into `dimensions` buckets with a hashed sign, weighted with sublinear term frequency, and
 * the vector is L2-normalized, so texts that share words and word pieces have a high cosine similarity.
 */
import type { Embedder } from './embeddings.js';

/** Bumped whenever the features or their weights change: old vectors then live in another space. */
export const LOCAL_EMBEDDER_ID = 'local-hash-v1';

/** Whole words say the most, word pairs add phrasing, trigrams match inflections and compounds. */
const WEIGHTS = { unigram: 1, bigram: 0.3, trigram: 0.3 } as const;

/** Words too common to say anything about what a text is about. */
const STOPWORDS = new Set(
  (
    'a an and are as at be been but by can could did do does for from had has have how i if in into is it its ' +
    'me my no not of on or our so than that the their them then there these they this to was we were what when ' +
    'where which while who why will with would you your'
  ).split(' '),
);

/** Plurals and common verb endings folded, so "deployments" and "deployment" are one word. */
function stem(word: string): string {
  if (word.length > 7 && word.endsWith('ments')) return word.slice(0, -5);
  if (word.length > 6 && word.endsWith('ment')) return word.slice(0, -4);
  if (word.length > 5 && word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (word.length > 5 && word.endsWith('ing')) return word.slice(0, -3);
  if (word.length > 4 && word.endsWith('ed')) return word.slice(0, -2);
  if (word.length > 3 && word.endsWith('s') && !word.endsWith('ss')) return word.slice(0, -1);
  return word;
}

export function words(text: string): string[] {
  return (
    text
      .normalize('NFKC')
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu) ?? []
  ).filter((word) => !STOPWORDS.has(word));
}

/** Feature name -> raw count. Prefixes keep a word, a pair and a trigram from ever sharing a name. */
function features(text: string): Map<string, { count: number; weight: number }> {
  const counts = new Map<string, { count: number; weight: number }>();
  const add = (name: string, weight: number) => {
    const entry = counts.get(name);
    if (entry) entry.count += 1;
    else counts.set(name, { count: 1, weight });
  };
  const tokens = words(text);
  const stems = tokens.map(stem);
  stems.forEach((word, index) => {
    add(`w:${word}`, WEIGHTS.unigram);
    if (index > 0) add(`b:${stems[index - 1]} ${word}`, WEIGHTS.bigram);
  });
  for (const word of tokens) {
    const padded = `#${word}#`;
    for (let start = 0; start + 3 <= padded.length; start += 1)
      add(`c:${padded.slice(start, start + 3)}`, WEIGHTS.trigram);
  }
  return counts;
}

/** FNV-1a over UTF-16 code units, then murmur3's finalizer so every output bit depends on every input bit. */
function hash(text: string): number {
  let value = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    value ^= text.charCodeAt(index);
    value = Math.imul(value, 0x01000193);
  }
  value ^= value >>> 16;
  value = Math.imul(value, 0x85ebca6b);
  value ^= value >>> 13;
  value = Math.imul(value, 0xc2b2ae35);
  value ^= value >>> 16;
  return value >>> 0;
}

/** The embedding of one text: deterministic, unit length (all zeros for a text without words). */
export function localEmbedding(text: string, dimensions: number): number[] {
  const vector = new Array<number>(dimensions).fill(0);
  for (const [name, { count, weight }] of features(text)) {
    const bits = hash(name);
    // The sign from the top bit keeps collisions from adding up on average (signed feature hashing).
    const sign = bits & 0x80000000 ? -1 : 1;
    const index = (bits & 0x7fffffff) % dimensions;
    vector[index] = (vector[index] ?? 0) + sign * weight * (1 + Math.log(count));
  }
  const norm = Math.sqrt(vector.reduce((sum, value) => sum + value * value, 0));
  return norm === 0 ? vector : vector.map((value) => value / norm);
}

export class LocalEmbedder implements Embedder {
  readonly id = LOCAL_EMBEDDER_ID;

  constructor(readonly dimensions: number = 256) {
    if (!Number.isInteger(dimensions) || dimensions < 1)
      throw new RangeError(`dimensions must be a positive integer (got ${dimensions})`);
  }

  async embed(texts: string[]): Promise<number[][]> {
    return texts.map((text) => localEmbedding(text, this.dimensions));
  }
}
