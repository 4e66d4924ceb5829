/**
 * Argument vectors: a quoted command (`npm run build`), the words after the program the field
 * is about ("Arguments after `pnpm`"), an example from the field's description that the request
 * names ("build" -> ["run", "build"]), or the words after "run".
 */
import { claim, type ExtractState, isClaimed } from './extract-state.js';
import type { FieldInfo } from './field-kinds.js';
import { stem, type Token } from './text.js';

/** Words that end a command written inline: what follows is about where or how to run it. */
const END_OF_COMMAND = new Set([
  'in',
  'inside',
  'on',
  'with',
  'for',
  'please',
  'from',
  'under',
  'then',
  'and',
  'using',
  'via',
  'within',
  'to',
]);

function collect(tokens: Token[], from: number, state: ExtractState): Token[] {
  const taken: Token[] = [];
  for (let index = from; index < tokens.length; index++) {
    const token = tokens[index];
    if (!token || isClaimed(state, token) || END_OF_COMMAND.has(token.lower)) break;
    if (['the', 'a', 'an', 'my', 'our'].includes(token.lower)) break;
    taken.push(token);
    if (token.boundaryAfter) break;
  }
  return taken;
}

/** The program a field's arguments follow, from "Arguments after `uv run`". */
function programOf(info: FieldInfo): string[] | undefined {
  const match = /after\s+`([^`]+)`/i.exec(info.field.schema.description ?? '');
  return match?.[1]?.trim().split(/\s+/);
}

/** Arrays given as examples in the description: `e.g. ["install"], ["run", "build"]`. */
function examplesOf(info: FieldInfo): string[][] {
  const examples: string[][] = [];
  for (const match of (info.field.schema.description ?? '').matchAll(/\[[^\]]*\]/g)) {
    try {
      const value = JSON.parse(match[0]) as unknown;
      if (Array.isArray(value) && value.every((item) => typeof item === 'string')) examples.push(value);
    } catch {
      // not an example array
    }
  }
  return examples;
}

function setArgv(
  info: FieldInfo,
  state: ExtractState,
  argv: string[],
  tokens: Token[],
  strength: number,
): boolean {
  if (argv.length === 0) return false;
  state.args[info.field.name] = argv;
  state.strength[info.field.name] = strength;
  claim(state, tokens);
  return true;
}

export function extractArgv(info: FieldInfo, state: ExtractState): void {
  const { tokens, quoted } = state.mentions;
  const quote = quoted.find((span) => !state.claimedQuotes.has(span.start) && /\s/.test(span.value));
  const program = programOf(info);
  if (quote) {
    let argv = quote.value.split(/\s+/);
    // A quoted "pnpm run build" for a field of arguments after pnpm drops the program itself.
    if (program?.every((word, index) => argv[index] === word)) argv = argv.slice(program.length);
    state.claimedQuotes.add(quote.start);
    const inside = tokens.filter((token) => token.start >= quote.start && token.end <= quote.end);
    if (setArgv(info, state, argv, inside, 3.5)) return;
  }
  if (program) {
    for (let index = 0; index < tokens.length; index++) {
      const matches = program.every((word, offset) => tokens[index + offset]?.lower === word.toLowerCase());
      if (!matches) continue;
      const after = collect(tokens, index + program.length, state);
      if (
        setArgv(
          info,
          state,
          after.map((token) => token.raw),
          after,
          3,
        )
      )
        return;
    }
  }
  const stems = new Set(tokens.map((token) => token.stem));
  const examples = examplesOf(info)
    .filter((example) => example.every((word) => word === 'run' || stems.has(stem(word))))
    .sort((a, b) => b.length - a.length);
  const chosen = examples[0];
  if (chosen && setArgv(info, state, chosen, [], 2)) return;
  const verb = tokens.findIndex((token) => ['run', 'execute', 'exec'].includes(token.lower));
  if (verb >= 0) {
    const after = collect(tokens, verb + 1, state).filter(
      (token) => !['command', 'script'].includes(token.lower),
    );
    setArgv(
      info,
      state,
      after.map((token) => token.raw),
      after,
      2,
    );
  }
}
