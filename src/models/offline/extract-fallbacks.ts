/**
 * Last resorts for required values the cue words did not give: a naming phrase ("call it logs"),
 * the object of the action ("invoke shop-api"), a quoted string, a word after a preposition, and
 * a bare answer to the question the assistant just asked.
 */
import { acceptsToken, claim, type ExtractState, isClaimed } from './extract-state.js';
import { listValue, take } from './extract-strings.js';
import { type FieldInfo, STRING_KINDS } from './field-kinds.js';
import { conceptsOf, isConceptWord } from './lexicon.js';
import { numberOf, type Token } from './text.js';

const PREPOSITIONS = new Set(['to', 'into', 'in', 'on', 'from', 'for', 'of', 'at', 'onto']);

/** "invoke shop-api", "describe web": a name-shaped word right after the request's action word. */
function directObject(info: FieldInfo, state: ExtractState): Token | undefined {
  const tokens = state.mentions.tokens;
  const verbs = conceptsOf(tokens).filter((hit) => hit.kind === 'verb');
  for (const verb of verbs) {
    let index = verb.index + verb.length;
    while (tokens[index] && ['the', 'a', 'an', 'my', 'our', 'this'].includes(tokens[index]?.lower ?? ''))
      index++;
    const token = tokens[index];
    if (!token || tokens[index - 1]?.boundaryAfter) continue;
    if (/[-_\d]/.test(token.raw) && !isConceptWord(token.raw) && acceptsToken(info, token, state, 'loose'))
      return token;
  }
  return undefined;
}

/** "named Ada", "call it acme-logs": the value a naming phrase introduces. */
function namedValue(info: FieldInfo, state: ExtractState): Token | undefined {
  const tokens = state.mentions.tokens;
  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index];
    if (!token) continue;
    let next = index + 1;
    if (['call', 'name'].includes(token.lower) && ['it', 'them', 'this'].includes(tokens[next]?.lower ?? ''))
      next++;
    else if (!['named', 'called', 'titled'].includes(token.lower)) continue;
    const value = tokens[next];
    if (value && acceptsToken(info, value, state, 'after')) return value;
  }
  return undefined;
}

/** Last resort for a required name: a quoted string, the action's object, or a word after a preposition. */
export function fillRequiredFallbacks(infos: FieldInfo[], state: ExtractState): void {
  const tokens = state.mentions.tokens;
  for (const info of infos) {
    if (!info.field.required || info.field.name in state.args) continue;
    if (info.kind !== 'name' && info.kind !== 'name-list') continue;
    const object = namedValue(info, state) ?? directObject(info, state);
    if (object) {
      take(state, info, listValue(info, { value: object.raw, strength: 1.5, tokens: [object] }));
      continue;
    }
    const quote = state.mentions.quoted.find((span) => !state.claimedQuotes.has(span.start));
    if (quote && !/\s/.test(quote.value)) {
      const inside = tokens.filter((token) => token.start >= quote.start && token.end <= quote.end);
      take(
        state,
        info,
        listValue(info, { value: quote.value, strength: 2, tokens: inside, quoteStart: quote.start }),
      );
      continue;
    }
    const after = tokens.find(
      (token, index) =>
        index > 0 &&
        PREPOSITIONS.has(tokens[index - 1]?.lower ?? '') &&
        /[-_\d]|^[a-z]+$/.test(token.raw) &&
        acceptsToken(info, token, state, 'loose'),
    );
    if (after) take(state, info, listValue(info, { value: after.raw, strength: 1, tokens: [after] }));
  }
}

/** A bare answer to a question: words left over fill the asked fields in order. */
export function fillAsked(infos: FieldInfo[], state: ExtractState, asked: string[]): void {
  const leftovers = (): Token[] => state.mentions.tokens.filter((token) => !isClaimed(state, token));
  for (const name of asked) {
    const info = infos.find((entry) => entry.field.name === name);
    if (!info || name in state.args) continue;
    if (info.kind === 'number') {
      const number = leftovers().find((token) => numberOf(token) !== undefined);
      if (number) {
        state.args[name] = numberOf(number);
        claim(state, [number]);
      }
      continue;
    }
    if (!STRING_KINDS.has(info.kind) && info.kind !== 'text' && info.kind !== 'distinct') continue;
    const word = leftovers().find((token) => acceptsToken(info, token, state, 'loose'));
    if (word) take(state, info, listValue(info, { value: word.raw, strength: 2, tokens: [word] }));
  }
}
