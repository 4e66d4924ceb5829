/**
 * Which bound tool a request asks for. Each tool gets a profile of concepts from its own name,
 * description and fields; the request's concepts (negated ones left out) are matched against it,
 * concepts shared by many tools count less, and the values the request gives for a tool's fields
 * ("i-0abc..." for instance_ids, "cluster prod") add evidence.
 */
import type { Mentions } from './entities.js';
import { type Extraction, extractArgs } from './extract.js';
import { type ConceptHit, conceptKind, conceptsOf, relatedness } from './lexicon.js';
import { negatedVerbs, type RequestConcepts, requestConcepts, uncoveredWords } from './request-concepts.js';
import { tokenize } from './text.js';
import { allFields, type ToolSpec, type ToolVariant } from './tool-spec.js';

export interface ToolProfile {
  spec: ToolSpec;
  /** Concept -> weight: name words 3, the description's first verb 2, other description words 1, field names 0.5. */
  concepts: Map<string, number>;
  /** Noun concepts of the tool's own name ("uv" of uv_client). */
  nameNouns: string[];
  /** The actions the tool is for: verbs of its name and the description's first verb. */
  mainVerbs: string[];
}

export interface ScoredTool {
  spec: ToolSpec;
  variant: ToolVariant;
  score: number;
  extraction: Extraction;
}

/** The description's first sentence, and the rest (which counts for less). */
function sentencesOf(text: string): [string, string] {
  const [first = '', ...rest] = text.split(/(?<=[.;])\s/);
  return [first, rest.join(' ')];
}

function addConcepts(target: Map<string, number>, hits: ConceptHit[], weight: number): void {
  for (const hit of hits) target.set(hit.concept, Math.max(target.get(hit.concept) ?? 0, weight));
}

function addWords(target: Map<string, number>, words: string[], weight: number): void {
  for (const word of words) target.set(word, Math.max(target.get(word) ?? 0, weight));
}

export function profileOf(spec: ToolSpec): ToolProfile {
  const nameHits = conceptsOf(tokenize(spec.name.replace(/[_-]/g, ' ')));
  const nameNouns = nameHits.filter((hit) => hit.kind === 'noun').map((hit) => hit.concept);
  const concepts = new Map<string, number>();
  const [first, rest] = sentencesOf(spec.description);
  const restTokens = tokenize(rest);
  const restHits = conceptsOf(restTokens);
  addConcepts(concepts, restHits, 0.5);
  addWords(concepts, uncoveredWords(restTokens, restHits), 0.5);
  const firstTokens = tokenize(first);
  const descriptionHits = conceptsOf(firstTokens);
  addConcepts(concepts, descriptionHits, 1);
  addWords(concepts, uncoveredWords(firstTokens, descriptionHits), 1);
  const firstVerb = descriptionHits.find((hit) => hit.kind === 'verb' && hit.index <= 1);
  if (firstVerb) addConcepts(concepts, [firstVerb], 2);
  for (const field of allFields(spec)) {
    const hits = conceptsOf(tokenize(field.name.replace(/_/g, ' '))).filter((hit) => hit.kind === 'noun');
    addConcepts(concepts, hits, 0.5);
  }
  for (const variant of spec.variants) {
    for (const value of Object.values(variant.constants)) {
      addConcepts(concepts, conceptsOf(tokenize(String(value).replace(/_/g, ' '))), 1.5);
    }
  }
  addConcepts(concepts, nameHits, 3);
  const nameTokens = tokenize(spec.name.replace(/[_-]/g, ' '));
  addWords(concepts, uncoveredWords(nameTokens, nameHits), 3);
  const mainVerbs = [...nameHits, ...(firstVerb ? [firstVerb] : [])]
    .filter((hit) => hit.kind === 'verb')
    .map((hit) => hit.concept);
  for (const variant of spec.variants) {
    for (const value of Object.values(variant.constants)) {
      const hits = conceptsOf(tokenize(String(value).replace(/_/g, ' ')));
      mainVerbs.push(...hits.filter((hit) => hit.kind === 'verb').map((hit) => hit.concept));
    }
  }
  return { spec, concepts, nameNouns, mainVerbs };
}

/** Inverse document frequency over the bound tools: a concept every tool has tells nothing. */
function idfOf(profiles: ToolProfile[]): (concept: string) => number {
  const counts = new Map<string, number>();
  for (const profile of profiles) {
    for (const concept of profile.concepts.keys()) counts.set(concept, (counts.get(concept) ?? 0) + 1);
  }
  return (concept) => 1 + Math.log(profiles.length / (counts.get(concept) ?? profiles.length));
}

export function conceptScore(
  profile: ToolProfile,
  request: RequestConcepts,
  idf: (concept: string) => number,
  refused: Set<string> = new Set(),
): number {
  let score = 0;
  for (const [concept, weight] of profile.concepts) {
    let best = 0;
    for (const [said, emphasis] of request) best = Math.max(best, relatedness(said, concept) * emphasis);
    if (best > 0) score += weight * idf(concept) * best;
  }
  const said = [...request.keys()];
  // A request whose action matches none of the tool's main verbs is about something else.
  const verbs = profile.mainVerbs.length > 0 ? profile.mainVerbs : [...profile.concepts.keys()];
  const saidVerbs = said.filter((concept) => conceptKind(concept) === 'verb');
  const verbMatch = verbs.some((verb) => saidVerbs.some((concept) => relatedness(concept, verb) >= 0.5));
  if (saidVerbs.length > 0 && !verbMatch) score *= 0.6;
  // A tool whose very action the request refuses ("don't terminate") is the wrong one.
  if (profile.mainVerbs.some((verb) => refused.has(verb))) score *= 0.3;
  // A tool named after a thing (uv_client, pnpm_client) is for requests that mention that thing.
  const named = profile.nameNouns;
  if (named.length > 0 && !named.some((noun) => said.some((concept) => relatedness(concept, noun) >= 0.5))) {
    score *= 0.75;
  }
  return score;
}

/** The variant of a tool whose constants the request names best (`list_dir` for "what is in backend/"). */
export function chooseVariant(spec: ToolSpec, request: RequestConcepts, mentions: Mentions): ToolVariant {
  const [first] = spec.variants;
  if (!first || spec.variants.length === 1) return first ?? { fields: [], constants: {} };
  let best = first;
  let bestScore = Number.NEGATIVE_INFINITY;
  for (const variant of spec.variants) {
    let score = 0;
    for (const value of Object.values(variant.constants)) {
      for (const hit of conceptsOf(tokenize(String(value).replace(/_/g, ' ')))) {
        let match = 0;
        for (const said of request.keys()) match = Math.max(match, relatedness(said, hit.concept));
        score += match;
      }
    }
    score -= extractArgs(variant, mentions).missing.length * 0.5;
    if (score > bestScore) {
      best = variant;
      bestScore = score;
    }
  }
  return best;
}

/** What each required field without a value costs a tool: a tool the request fully describes wins. */
const MISSING_PENALTY = 2;

/** Evidence from the values found: a field filled from a cue or a distinctive format supports its tool. */
function fieldSupport(extraction: Extraction, fieldIdf: (field: string) => number): number {
  let support = 0;
  for (const [field, strength] of Object.entries(extraction.strength)) {
    if (strength >= 3) support += 0.9 * fieldIdf(field);
    else if (strength >= 2) support += 0.4 * fieldIdf(field);
  }
  return support - extraction.missing.length * MISSING_PENALTY;
}

function fieldIdfOf(specs: ToolSpec[]): (field: string) => number {
  const counts = new Map<string, number>();
  for (const spec of specs)
    for (const field of allFields(spec)) counts.set(field.name, (counts.get(field.name) ?? 0) + 1);
  return (field) => Math.log(1 + specs.length / (counts.get(field) ?? specs.length));
}

/** Every bound tool scored for this request, best first; only the most likely few are fully read. */
export function rankTools(
  specs: ToolSpec[],
  mentions: Mentions,
  profiles = specs.map(profileOf),
): ScoredTool[] {
  const request = requestConcepts(mentions);
  const refused = negatedVerbs(mentions);
  const idf = idfOf(profiles);
  const fieldIdf = fieldIdfOf(specs);
  const first = profiles
    .map((profile) => ({ profile, score: conceptScore(profile, request, idf, refused) }))
    .sort((a, b) => b.score - a.score)
    .slice(0, 8);
  return first
    .map(({ profile, score }) => {
      const variant = chooseVariant(profile.spec, request, mentions);
      const extraction = extractArgs(variant, mentions);
      const total = score > 0 ? score + fieldSupport(extraction, fieldIdf) : 0;
      return { spec: profile.spec, variant, score: total, extraction };
    })
    .sort((a, b) => b.score - a.score);
}

/** The score a tool must reach to be taken as meant: a verb and a noun of it, or strong evidence. */
export const CLEAR_MATCH = 3;
