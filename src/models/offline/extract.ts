/**
 * Arguments of one tool call, read from a request through the tool's JSON Schema: every field is
 * filled from the evidence its kind accepts, strongest evidence first, one word per field.
 */
import type { Mentions } from './entities.js';
import { extractArgv } from './extract-argv.js';
import { extractEnum } from './extract-enums.js';
import { fillAsked, fillRequiredFallbacks } from './extract-fallbacks.js';
import { fillPaths, fillS3Uris } from './extract-paths.js';
import { acceptsToken, claim, type ExtractState, isClaimed, newState } from './extract-state.js';
import {
  arnCandidates,
  type Candidate,
  cueCandidates,
  listValue,
  patternCandidates,
  shapeCandidates,
  take,
  textCandidate,
} from './extract-strings.js';
import {
  extractFlag,
  extractJson,
  extractMap,
  extractNumbers,
  extractRegion,
  extractTimes,
} from './extract-values.js';
import { describeField, dropSharedCues, type FieldInfo, STRING_KINDS } from './field-kinds.js';
import { isStopWord, stem } from './text.js';
import type { FieldSpec, JsonSchema, ToolVariant } from './tool-spec.js';

export interface Extraction {
  args: Record<string, unknown>;
  /** Required fields still without a value. */
  missing: string[];
  /** Evidence strength per filled field. */
  strength: Record<string, number>;
}

export interface ExtractOptions {
  /** Fields the assistant just asked for: a bare answer ("us-west-2", "prod") fills them. */
  asked?: string[];
}

function fieldsOf(schema: JsonSchema): FieldSpec[] {
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {}).map(([name, field]) => ({
    name,
    schema: field,
    required: required.has(name),
  }));
}

function assignCandidates(infos: FieldInfo[], state: ExtractState): void {
  const options: Array<{ info: FieldInfo; candidate: Candidate; order: number }> = [];
  infos.forEach((info, order) => {
    if (info.kind === 'distinct' || info.kind === 'distinct-list') {
      for (const candidate of arnCandidates(info, state)) options.push({ info, candidate, order });
      const matches = patternCandidates(info, state);
      if (info.kind === 'distinct-list' && matches.length > 0) {
        options.push({
          info,
          candidate: {
            value: matches.map((m) => String(m.value)),
            strength: 3.5,
            tokens: matches.flatMap((m) => m.tokens),
          },
          order,
        });
      } else if (matches[0]) options.push({ info, candidate: matches[0], order });
    }
    if (STRING_KINDS.has(info.kind)) {
      for (const candidate of cueCandidates(info, state)) options.push({ info, candidate, order });
      if (/\bARN\b/.test(info.field.schema.description ?? '')) {
        for (const candidate of arnCandidates(info, state)) options.push({ info, candidate, order });
      }
    }
    if (info.kind === 'url') {
      for (const url of state.mentions.urls) {
        options.push({ info, candidate: { value: url.value, strength: 3.5, tokens: [url.token] }, order });
      }
    }
  });
  options.sort(
    (a, b) =>
      b.candidate.strength - a.candidate.strength ||
      Number(b.info.field.required) - Number(a.info.field.required) ||
      a.order - b.order,
  );
  for (const { info, candidate } of options) {
    if (info.field.name in state.args) continue;
    if (candidate.tokens.some((token) => isClaimed(state, token))) continue;
    take(state, info, listValue(info, candidate));
  }
}

function fillText(infos: FieldInfo[], state: ExtractState): void {
  for (const info of infos) {
    if (info.kind !== 'text' || info.field.name in state.args) continue;
    const wildcard = /wildcard|\*/i.test(info.field.schema.description ?? '')
      ? state.mentions.tokens.find((token) => /[*?]/.test(token.raw) && !isClaimed(state, token))
      : undefined;
    if (wildcard) {
      take(state, info, { value: wildcard.raw, strength: 3.5, tokens: [wildcard] });
      continue;
    }
    const candidate = textCandidate(info, state) ?? exampleMention(info, state);
    if (candidate) take(state, info, { ...candidate, value: exampleSpelling(info, String(candidate.value)) });
  }
}

/** "any errors in /ecs/web" for a field whose description gives `ERROR` as an example: the example is meant. */
function exampleMention(info: FieldInfo, state: ExtractState): Candidate | undefined {
  const examples = (info.field.schema.description ?? '').split(/e\.g\./)[1] ?? '';
  const words = new Set(
    examples
      .split(/[^A-Za-z]+/)
      .filter((word) => word.length > 2 && !isStopWord({ stem: word.toLowerCase() }))
      .map((word) => stem(word)),
  );
  const token = state.mentions.tokens.find((entry) => !isClaimed(state, entry) && words.has(entry.stem));
  return token ? { value: token.raw, strength: 2, tokens: [token] } : undefined;
}

/** "errors" for a field whose description shows `ERROR` is written the way the example is. */
function exampleSpelling(info: FieldInfo, value: string): string {
  const description = info.field.schema.description ?? '';
  const singular = value.replace(/s$/i, '');
  const example = new RegExp(`\\b(${singular})\\b`, 'i').exec(description.split(/e\.g\./)[1] ?? '')?.[1];
  return example && example !== singular ? example : value;
}

function fillShapes(infos: FieldInfo[], state: ExtractState): void {
  for (const info of infos) {
    if (!STRING_KINDS.has(info.kind) || info.field.name in state.args) continue;
    const [first] = shapeCandidates(info, state);
    if (first) take(state, info, listValue(info, first));
  }
}

function fillTyped(infos: FieldInfo[], state: ExtractState): void {
  const names = new Set(infos.map((info) => info.field.name));
  extractNumbers(
    infos.filter((info) => info.kind === 'number' && !(info.field.name in state.args)),
    state,
  );
  extractTimes(
    infos.filter((info) => info.kind === 'time'),
    state,
  );
  for (const info of infos) {
    if (info.field.name in state.args) continue;
    if (info.kind === 'region') extractRegion(info, state);
    else if (info.kind === 'enum' || info.kind === 'enum-list') extractEnum(info, state);
    else if (info.kind === 'boolean') extractFlag(info, state);
    else if (info.kind === 'map') extractMap(info, state, names);
    else if (info.kind === 'argv') extractArgv(info, state);
  }
}

/** "launch an instance named web-1" for a tool whose tags say `{"Name": ...}` and that has no name field. */
function fillNameTag(infos: FieldInfo[], state: ExtractState): void {
  const map = infos.find((info) => info.kind === 'map' && /"Name"/.test(info.field.schema.description ?? ''));
  if (!map) return;
  const tokens = state.mentions.tokens;
  const naming = tokens.findIndex((token) => ['named', 'called'].includes(token.lower));
  const value = tokens[naming + 1];
  if (naming < 0 || !value || isClaimed(state, value) || !acceptsToken(map, value, state, 'after')) return;
  const current = (state.args[map.field.name] as Record<string, string> | undefined) ?? {};
  state.args[map.field.name] = { Name: value.raw, ...current };
  state.strength[map.field.name] = 3;
  claim(state, [value]);
}

function fillObjects(infos: FieldInfo[], state: ExtractState): void {
  for (const info of infos) {
    if (info.kind !== 'objects' || info.field.name in state.args) continue;
    const item = info.field.schema.items ?? {};
    const parentWords = info.field.name.split('_').filter((word) => !/definitions?|mappings?|s$/.test(word));
    const itemInfos = fieldsOf(item).map((field) => describeField(field, parentWords));
    dropSharedCues(itemInfos);
    const inner: ExtractState = { ...state, args: {}, strength: {} };
    runPipeline(itemInfos, inner);
    fillObjects(itemInfos, inner);
    const strong = Object.values(inner.strength).some((strength) => strength >= 3);
    if (!strong) continue;
    const named = itemInfos.find(
      (entry) => entry.field.required && entry.kind === 'name' && !(entry.field.name in inner.args),
    );
    const parentName = infos.find(
      (entry) => entry.field.required && entry.kind === 'name' && entry.field.name in state.args,
    );
    if (named && parentName) inner.args[named.field.name] = state.args[parentName.field.name];
    state.args[info.field.name] = [inner.args];
    state.strength[info.field.name] = 3;
  }
}

function runPipeline(infos: FieldInfo[], state: ExtractState): void {
  for (const info of infos) if (info.kind === 'json') extractJson(info, state);
  fillS3Uris(infos, state);
  assignCandidates(infos, state);
  fillText(infos, state);
  fillShapes(infos, state);
  fillPaths(infos, state);
  fillNameTag(infos, state);
  fillTyped(infos, state);
}

export function extractArgs(
  variant: ToolVariant,
  mentions: Mentions,
  options: ExtractOptions = {},
): Extraction {
  const infos = variant.fields.map((field) => describeField(field));
  dropSharedCues(infos);
  const state = newState(mentions);
  runPipeline(infos, state);
  fillObjects(infos, state);
  if (options.asked) fillAsked(infos, state, options.asked);
  fillRequiredFallbacks(infos, state);
  const args = { ...variant.constants, ...state.args };
  const missing = variant.fields
    .filter((field) => field.required && !(field.name in args))
    .map((field) => field.name);
  return { args, missing, strength: state.strength };
}
