/**
 * Enum members in a request: written out ("FARGATE", "dry run" for DryRun), the same family and
 * version ("node 20" for nodejs20.x), or chosen through their explanation in the description
 * ("asynchronously" for "Event queues the call").
 */
import { claim, type ExtractState, isClaimed } from './extract-state.js';
import type { FieldInfo } from './field-kinds.js';
import { conceptsOf, conceptsOfWords } from './lexicon.js';
import { isNegated, isStopWord, stem, type Token, tokenize } from './text.js';

function normalizeWord(value: string): string {
  return value.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** "nodejs20.x" -> ["nodejs", "20"]: letters before the first digit, then every digit. */
function familyAndDigits(value: string): [string, string] {
  const normal = normalizeWord(value);
  const letters = /^[a-z]+/.exec(normal)?.[0] ?? '';
  return [letters, normal.replace(/[^0-9]/g, '')];
}

/**
 * Enum members written in the request: exact ("FARGATE", "dry run" for DryRun), or the same
 * family and version ("node 20" for nodejs20.x, "py3.12" for python3.12). Common words that happen
 * to be members ("Event") must keep their capital letter.
 */
export function enumMentions(
  values: unknown[],
  state: ExtractState,
): Array<{ value: string; tokens: Token[] }> {
  const tokens = state.mentions.tokens;
  const found: Array<{ value: string; tokens: Token[] }> = [];
  const strings = values.filter((value): value is string => typeof value === 'string');
  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index];
    if (!token || isClaimed(state, token) || isNegated(tokens, index)) continue;
    const next = tokens[index + 1];
    const spans: Token[][] = [[token]];
    if (next && !token.boundaryAfter) spans.push([token, next]);
    for (const span of spans.reverse()) {
      const written = span.map((part) => part.raw).join(' ');
      const match = matchEnum(strings, written);
      if (match) {
        found.push({ value: match, tokens: span });
        index += span.length - 1;
        break;
      }
    }
  }
  return found;
}

function matchEnum(values: string[], written: string): string | undefined {
  const normal = normalizeWord(written);
  if (!normal) return undefined;
  const exact = values.find((value) => normalizeWord(value) === normal);
  if (exact) {
    const common = /^[A-Z][a-z]+$/.test(exact) && isStopWordOrConcept(exact);
    return common && !written.includes(exact) ? undefined : exact;
  }
  const [family, digits] = familyAndDigits(written);
  if (!digits || family.length < 2) return undefined;
  const close = values.filter((value) => {
    const [valueFamily, valueDigits] = familyAndDigits(value);
    return valueDigits === digits && (valueFamily.startsWith(family) || family.startsWith(valueFamily));
  });
  return close.length === 1 ? close[0] : undefined;
}

function isStopWordOrConcept(value: string): boolean {
  return conceptsOfWords([value]).length > 0 || isStopWord({ stem: stem(value) });
}

/**
 * A member chosen through its explanation in the description: "Event queues the call" makes
 * "asynchronously" mean Event, "s3-static (static site)" makes "as a static site" mean s3-static.
 * Modifiers count from any explanation, nouns only from one in parentheses right after the member;
 * verbs never (every explanation "calls" something). Words another field took say nothing here.
 */
function explainedMember(values: unknown[], info: FieldInfo, state: ExtractState): string | undefined {
  const description = info.field.schema.description ?? '';
  const tokens = state.mentions.tokens;
  const said = conceptsOf(tokens).filter((hit) => {
    const token = tokens[hit.index];
    return token !== undefined && !isClaimed(state, token) && !isNegated(tokens, hit.index);
  });
  const matches = values.filter((value): value is string => {
    if (typeof value !== 'string') return false;
    const at = description.indexOf(value);
    if (at < 0) return false;
    const rest = description.slice(at + value.length);
    const explanation = rest.split(/[,;.]/)[0] ?? '';
    const bracketed = /^\s*\(([^)]*)\)/.exec(rest)?.[1] ?? '';
    const modifiers = conceptsOf(tokenize(explanation)).filter((hit) => hit.kind === 'modifier');
    const nouns = conceptsOf(tokenize(bracketed)).filter((hit) => hit.kind === 'noun');
    return [...modifiers, ...nouns].some((hit) => said.some((mention) => mention.concept === hit.concept));
  });
  return matches.length === 1 ? matches[0] : undefined;
}

export function extractEnum(info: FieldInfo, state: ExtractState): void {
  const values =
    info.kind === 'enum-list' ? (info.field.schema.items?.enum ?? []) : (info.field.schema.enum ?? []);
  const found = enumMentions(values, state);
  if (found.length === 0) {
    const explained = info.kind === 'enum' ? explainedMember(values, info, state) : undefined;
    if (explained) {
      state.args[info.field.name] = explained;
      state.strength[info.field.name] = 2;
    }
    return;
  }
  claim(
    state,
    found.flatMap((match) => match.tokens),
  );
  state.args[info.field.name] =
    info.kind === 'enum-list' ? [...new Set(found.map((match) => match.value))] : found[0]?.value;
  state.strength[info.field.name] = 3;
}
