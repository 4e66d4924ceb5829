/** The words of a request: tokens with offsets, a light stemmer, stop words, number words and negation. */

export interface Token {
  /** As written, trailing punctuation removed. */
  raw: string;
  lower: string;
  /** Light stem, so "stopping", "stopped" and "stops" meet "stop". */
  stem: string;
  start: number;
  end: number;
  index: number;
  /** A sentence or clause ends right after this token (period, comma, semicolon, "and then"). */
  boundaryAfter: boolean;
}

/** Characters that never belong to a token: whitespace, brackets, quotes other than apostrophes. */
const TOKEN_PATTERN = /[^\s,;()[\]{}"`<>|\u201c\u201d\u2018\u2019]+/g;

/** Endings removed from a token unless they are part of it (`t3.micro.` is `t3.micro`). */
const TRAILING = /[.!?:']+$/;
const LEADING = /^[']+/;

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  for (const match of text.matchAll(TOKEN_PATTERN)) {
    const whole = match[0];
    const lead = whole.length - whole.replace(LEADING, '').length;
    let raw = whole.slice(lead).replace(TRAILING, '');
    // A lone path root or wildcard keeps its characters; "?" ends a question otherwise.
    if (raw === '' && /^[./~]+$/.test(whole)) raw = whole;
    if (raw === '') continue;
    const start = (match.index ?? 0) + lead;
    const end = start + raw.length;
    const after = text.slice(end, end + 2);
    const lower = raw.toLowerCase();
    tokens.push({
      raw,
      lower,
      stem: stem(lower),
      start,
      end,
      index: tokens.length,
      boundaryAfter: /^[.!?;,]($|\s)/.test(after) || /^\s*[;,]/.test(after),
    });
  }
  return tokens;
}

const NO_UNDOUBLE = new Set(['l', 's', 'z']);

function undouble(word: string): string {
  const last = word.at(-1) ?? '';
  if (word.length > 3 && last === word.at(-2) && !NO_UNDOUBLE.has(last) && /[b-df-hj-np-tv-z]/.test(last)) {
    return word.slice(0, -1);
  }
  return word;
}

/** A deliberately small stemmer: plural, -ing, -ed and a final e; both sides of a comparison use it. */
export function stem(word: string): string {
  // A command-line flag ("--frozen") means its word.
  let w = word.toLowerCase().replace(/^-{1,2}(?=[a-z])/, '');
  if (w.length <= 3 || !/^[a-z]+$/.test(w)) return w;
  if (w.endsWith('ies') && w.length > 4) w = `${w.slice(0, -3)}y`;
  else if (w.endsWith('sses')) w = w.slice(0, -2);
  else if (w.endsWith('s') && !/(ss|us|is)$/.test(w)) w = w.slice(0, -1);
  if (w.endsWith('ing') && w.length > 5) w = undouble(w.slice(0, -3));
  else if (w.endsWith('ed') && w.length > 4) w = undouble(w.slice(0, -2));
  if (w.endsWith('e') && w.length > 3) w = w.slice(0, -1);
  return w;
}

/** Words that carry no meaning of their own in a request. */
export const STOP_WORDS = new Set(
  (
    'a an the my our your their his her its it this that these those please pls plz kindly to of in ' +
    'on for from with and or at by as into onto via using use me i we us you can could would should ' +
    'will shall is are was were be been do does did some just now then also there here out up so hey ' +
    'hi hello ok okay thanks thank need want like lets go ahead quickly currently right called named ' +
    'name one same again which what whose where under about have has got get any every each all new ' +
    'existing titled labelled labeled inside within too instead than only if when after before since ' +
    'first make sure way them him aws amazon doing going looking working holding anymore over'
  )
    .split(' ')
    .concat(["i'd", "i'm", "let's"])
    .map(stem),
);

export function isStopWord(token: Pick<Token, 'stem'>): boolean {
  return STOP_WORDS.has(token.stem);
}

export const NUMBER_WORDS: Record<string, number> = {
  zero: 0,
  none: 0,
  one: 1,
  single: 1,
  two: 2,
  couple: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  dozen: 12,
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  sixteen: 16,
  seventeen: 17,
  eighteen: 18,
  nineteen: 19,
  twenty: 20,
  thirty: 30,
  forty: 40,
  fifty: 50,
  sixty: 60,
  hundred: 100,
};

/** The number a token spells, if any: digits (with thousands separators) or a number word. */
export function numberOf(token: Pick<Token, 'lower'>): number | undefined {
  const word = token.lower;
  if (/^-?\d+(\.\d+)?$/.test(word)) return Number(word);
  if (/^\d{1,3}(,\d{3})+$/.test(word)) return Number(word.replaceAll(',', ''));
  return NUMBER_WORDS[word];
}

const NEGATIONS = new Set([
  'not',
  "don't",
  'dont',
  "doesn't",
  "didn't",
  'never',
  'without',
  'no',
  "shouldn't",
  "won't",
  "mustn't",
  'avoid',
  'skip',
  'instead',
  'rather',
  'except',
]);

/** True when the token at `index` is negated by one of the three tokens before it, in the same clause. */
export function isNegated(tokens: Token[], index: number): boolean {
  for (let back = 1; back <= 3; back++) {
    const before = tokens[index - back];
    if (!before || before.boundaryAfter) return false;
    if (NEGATIONS.has(before.lower)) return true;
  }
  return false;
}

/** Human-friendly label of a schema field: `instance_ids` -> "instance IDs". */
export function fieldLabel(name: string): string {
  return name
    .split(/[_\s]+/)
    .map((word) => {
      if (word === 'id') return 'ID';
      if (word === 'ids') return 'IDs';
      if (word === 'arn') return 'ARN';
      if (word === 'ami') return 'AMI';
      if (word === 's3') return 'S3';
      if (word === 'ip') return 'IP';
      if (word === 'iam') return 'IAM';
      return word;
    })
    .join(' ');
}
