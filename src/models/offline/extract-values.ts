/**
 * Typed values: regions, numbers placed by the words around them ("2 tasks", "512 MB", "scale to
 * three"), flags ("force a new deployment", "without a public IP"), enum members, KEY=value maps,
 * JSON payloads, argv arrays and timestamps.
 */
import type { Mentions, NumberMention } from './entities.js';
import { claim, type ExtractState, isClaimed } from './extract-state.js';
import { descriptionStems, type FieldInfo } from './field-kinds.js';
import { conceptKind, conceptsOf, conceptsOfWords } from './lexicon.js';
import { inRegion } from './regions.js';
import { isNegated, isStopWord, stem, type Token } from './text.js';

function words(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

export function extractRegion(info: FieldInfo, state: ExtractState): void {
  const last = state.mentions.regions.at(-1);
  if (!last) return;
  state.args[info.field.name] = last.region;
  state.strength[info.field.name] = 3;
}

const UNIT_IN_DESCRIPTION: Record<string, RegExp> = {
  mb: /\b(MB|MiB|megabytes?)\b/i,
  gb: /\b(GB|GiB|gigabytes?)\b/i,
  s: /\bseconds?\b/i,
  ms: /\bmilliseconds?\b/i,
  min: /\bminutes?\b/i,
};

/** A number in the unit the field wants: 2 GB for a field in MB is 2048, 1 vCPU for "1024 = 1 vCPU" is 1024. */
function convert(number: NumberMention, info: FieldInfo): { value: number; unitScore: number } {
  const description = info.field.schema.description ?? '';
  const unit = number.unit;
  if (!unit) return { value: number.value, unitScore: 0 };
  if (UNIT_IN_DESCRIPTION[unit]?.test(description)) return { value: number.value, unitScore: 2 };
  if (unit === 'gb' && UNIT_IN_DESCRIPTION.mb?.test(description))
    return { value: number.value * 1024, unitScore: 2 };
  if (unit === 'min' && UNIT_IN_DESCRIPTION.s?.test(description))
    return { value: number.value * 60, unitScore: 2 };
  if (unit === 'h' && UNIT_IN_DESCRIPTION.s?.test(description))
    return { value: number.value * 3600, unitScore: 2 };
  const ratio = new RegExp(`(\\d+)\\s*=\\s*1\\s*${unit}`, 'i').exec(description);
  if (ratio) return { value: Math.round(number.value * Number(ratio[1])), unitScore: 2 };
  return { value: number.value, unitScore: -1 };
}

function inRange(value: number, info: FieldInfo): boolean {
  const { minimum, maximum, exclusiveMinimum, type } = info.field.schema;
  if (type === 'integer' && !Number.isInteger(value)) return false;
  if (minimum !== undefined && value < minimum) return false;
  if (exclusiveMinimum !== undefined && value <= exclusiveMinimum) return false;
  return maximum === undefined || value <= maximum;
}

/** How well the words around a number fit a numeric field. */
function numberAffinity(
  number: NumberMention,
  info: FieldInfo,
  mentions: Mentions,
  scaling: boolean,
): number {
  const tokens = mentions.tokens;
  const at = number.token.index;
  const window: Token[] = [];
  for (let index = at - 1; index >= Math.max(0, at - 3); index--) {
    const token = tokens[index];
    if (!token || token.boundaryAfter) break;
    window.push(token);
  }
  for (let index = at + 1; index <= at + 2; index++) {
    const token = tokens[index];
    if (!token || tokens[index - 1]?.boundaryAfter) break;
    window.push(token);
  }
  const nameStems = words(info.field.name).map(stem);
  const descStems = descriptionStems(info.field.schema).slice(0, 8);
  let score = 0;
  for (const token of window) {
    if (isStopWord(token) && token.lower !== 'to') continue;
    // The word right next to the number says most about it ("3 levels", "port 8080").
    const near = Math.abs(token.index - at) === 1 ? 2 : 1;
    if (nameStems.includes(token.stem)) score += 2 * near;
    else if (descStems.includes(token.stem)) score += near;
  }
  const contextConcepts = new Set(conceptsOf(window).map((hit) => hit.concept));
  for (const concept of contextConcepts) {
    if (info.concepts.includes(concept) && conceptKind(concept) !== 'verb') score += 1;
  }
  const previous = tokens[at - 1];
  const countField = info.concepts.includes('count');
  if (scaling && countField && (previous?.lower === 'to' || previous?.lower === 'at')) score += 2;
  return score;
}

export function extractNumbers(infos: FieldInfo[], state: ExtractState): void {
  const scaling = conceptsOf(state.mentions.tokens).some((hit) => hit.concept === 'scale');
  const options: Array<{ info: FieldInfo; number: NumberMention; value: number; score: number }> = [];
  for (const number of state.mentions.numbers) {
    if (isClaimed(state, number.token) || inRegion(number.token, state.mentions.regions)) continue;
    for (const info of infos) {
      const { value, unitScore } = convert(number, info);
      if (!inRange(value, info)) continue;
      const score = numberAffinity(number, info, state.mentions, scaling) + unitScore;
      if (score >= 1.5) options.push({ info, number, value, score });
    }
  }
  options.sort((a, b) => b.score - a.score);
  const used = new Set<Token>();
  for (const option of options) {
    const name = option.info.field.name;
    if (name in state.args || used.has(option.number.token)) continue;
    state.args[name] = option.value;
    state.strength[name] = option.score >= 3 ? 3 : 2;
    used.add(option.number.token);
    claim(state, [option.number.token]);
  }
}

/** What a flag is about: the concepts of its name, verbs left out ("force" in force_new_deployment). */
function flagAtoms(info: FieldInfo): string[] {
  const nameWords = words(info.field.name).filter((word) => !isStopWord({ stem: stem(word) }));
  const atoms = nameWords.map((word) => conceptsOfWords([word])[0] ?? stem(word));
  const content = atoms.filter((atom) => conceptKind(atom) !== 'verb' || atoms.length === 1);
  return [...new Set(content.length > 0 ? content : atoms)];
}

export function extractFlag(info: FieldInfo, state: ExtractState): void {
  const atoms = flagAtoms(info);
  const tokens = state.mentions.tokens;
  const hits = conceptsOf(tokens);
  const positions = (atom: string) => [
    ...hits.filter((hit) => hit.concept === atom).map((hit) => hit.index),
    ...tokens.filter((token) => token.stem === atom).map((token) => token.index),
  ];
  const needed = Math.max(1, atoms.length - 1);
  for (const anchor of positions(atoms[0] ?? '').concat(atoms.length > 1 ? positions(atoms[1] ?? '') : [])) {
    const near = atoms.filter((atom) => positions(atom).some((index) => Math.abs(index - anchor) <= 5));
    if (near.length < needed) continue;
    const negated = isNegated(tokens, anchor) || (anchor > 0 && isNegated(tokens, anchor - 1));
    state.args[info.field.name] = !negated;
    state.strength[info.field.name] = 3;
    return;
  }
}

/** KEY=value pairs (and a JSON object of strings) into a string map such as tags or environment. */
export function extractMap(info: FieldInfo, state: ExtractState, otherNames: Set<string>): void {
  const map: Record<string, string> = {};
  for (const pair of state.mentions.pairs) {
    if (otherNames.has(pair.key.toLowerCase())) continue;
    map[pair.key] = pair.value;
    claim(
      state,
      state.mentions.tokens.filter((token) => token.start >= pair.start && token.end <= pair.end),
    );
  }
  for (const json of state.mentions.json) {
    const value = json.value;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) continue;
    const entries = Object.entries(value);
    if (entries.length > 0 && entries.every(([, item]) => typeof item === 'string')) {
      Object.assign(map, value);
    }
  }
  if (Object.keys(map).length === 0) return;
  state.args[info.field.name] = map;
  state.strength[info.field.name] = 3;
}

export function extractJson(info: FieldInfo, state: ExtractState): void {
  const first = state.mentions.json[0];
  if (!first) return;
  state.args[info.field.name] = first.value;
  state.strength[info.field.name] = 3.5;
  claim(
    state,
    state.mentions.tokens.filter((token) => token.start >= first.start && token.end <= first.end),
  );
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
const START_WORDS = new Set(['since', 'from', 'after', 'starting', 'start']);
const END_WORDS = new Set(['until', 'till', 'to', 'before', 'ending', 'end']);

/** ISO timestamps or epoch milliseconds; "since X" is the start, "until X" the end. */
export function extractTimes(infos: FieldInfo[], state: ExtractState): void {
  const times = state.mentions.tokens.filter(
    (token) => ISO_TIME.test(token.raw) || /^\d{13}$/.test(token.raw),
  );
  const startField = infos.find((info) => /start|from|since|earliest/i.test(info.field.name));
  const endField = infos.find((info) => /end|until|latest/i.test(info.field.name));
  for (const token of times) {
    const before = state.mentions.tokens[token.index - 1]?.lower ?? '';
    const target = END_WORDS.has(before) ? endField : START_WORDS.has(before) ? startField : undefined;
    const field = target ?? (startField && !(startField.field.name in state.args) ? startField : endField);
    if (!field || field.field.name in state.args) continue;
    state.args[field.field.name] = /^\d{13}$/.test(token.raw) ? Number(token.raw) : token.raw;
    state.strength[field.field.name] = 3;
    claim(state, [token]);
  }
}
