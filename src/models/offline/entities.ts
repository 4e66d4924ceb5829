/**
 * Typed things a request names, found before any tool is considered: regions, URLs, S3 URIs, ARNs,
 * paths, quoted strings, JSON values, KEY=value pairs and numbers with their units.
 */
import { findRegions, type RegionMention } from './regions.js';
import { numberOf, type Token, tokenize } from './text.js';

export interface QuotedMention {
  value: string;
  start: number;
  end: number;
}

export interface JsonMention {
  value: unknown;
  start: number;
  end: number;
}

export interface PairMention {
  key: string;
  value: string;
  start: number;
  end: number;
}

export interface NumberMention {
  value: number;
  /** Unit written with the number: `mb`, `gb`, `s`, `min`, `ms`... */
  unit?: string;
  token: Token;
}

export interface PathMention {
  value: string;
  token: Token;
  /** The file name has an extension (`app.zip`): a file rather than a folder. */
  isFile: boolean;
}

export interface UrlMention {
  /** Normalized: shorthand `github.com/acme/shop` becomes `https://github.com/acme/shop`. */
  value: string;
  token: Token;
}

export interface S3UriMention {
  bucket: string;
  key: string;
  token: Token;
}

export interface Mentions {
  text: string;
  tokens: Token[];
  regions: RegionMention[];
  urls: UrlMention[];
  s3Uris: S3UriMention[];
  arns: Token[];
  paths: PathMention[];
  quoted: QuotedMention[];
  json: JsonMention[];
  pairs: PairMention[];
  numbers: NumberMention[];
}

const FILE_EXTENSION =
  /\.(zip|jar|war|tar|gz|tgz|bz2|js|mjs|cjs|ts|tsx|jsx|py|html?|css|json|ya?ml|toml|txt|md|csv|tsv|pdf|png|jpe?g|gif|svg|webp|ico|xml|log|sh|env|ini|cfg|conf|lock|sql|parquet|avro|bin|wasm|map|mp4|mp3|wav|docx?|xlsx?|pptx?|rb|go|rs|java|kt|cs|php|whl|egg)$/i;

const URL_TOKEN = /^(https?:\/\/|git@|ssh:\/\/|git:\/\/)/i;
const REPO_SHORTHAND = /^(github\.com|gitlab\.com|bitbucket\.org|codeberg\.org)\/[\w.-]+\/[\w.-]+/i;

const UNIT_WORDS: Record<string, string> = {
  mb: 'mb',
  mib: 'mb',
  megabyte: 'mb',
  megabytes: 'mb',
  m: 'mb',
  gb: 'gb',
  gib: 'gb',
  gigabyte: 'gb',
  gigabytes: 'gb',
  g: 'gb',
  s: 's',
  sec: 's',
  secs: 's',
  second: 's',
  seconds: 's',
  min: 'min',
  mins: 'min',
  minute: 'min',
  minutes: 'min',
  ms: 'ms',
  millisecond: 'ms',
  milliseconds: 'ms',
  h: 'h',
  hr: 'h',
  hrs: 'h',
  hour: 'h',
  hours: 'h',
  vcpu: 'vcpu',
  vcpus: 'vcpu',
};

/** Quoted spans: "x", 'x' (not apostrophes), `x`, and typographic quotes. */
function findQuoted(text: string): QuotedMention[] {
  const found: QuotedMention[] = [];
  const pattern =
    /"([^"\n]+)"|\u201c([^\u201d\n]+)\u201d|`([^`\n]+)`|(?<![\w])'([^'\n]+)'(?![\w])|\u2018([^\u2019\n]+)\u2019/g;
  for (const match of text.matchAll(pattern)) {
    const value = match.slice(1).find((group) => group !== undefined) ?? '';
    const start = match.index ?? 0;
    found.push({ value: value.trim(), start, end: start + match[0].length });
  }
  return found;
}

/** Balanced `{...}` or `[...]` spans that parse as JSON (single quotes tolerated). */
function findJson(text: string): JsonMention[] {
  const found: JsonMention[] = [];
  for (let start = 0; start < text.length; start++) {
    const open = text[start];
    if (open !== '{' && open !== '[') continue;
    const close = open === '{' ? '}' : ']';
    let depth = 0;
    for (let end = start; end < text.length; end++) {
      if (text[end] === open) depth++;
      else if (text[end] === close) depth--;
      if (depth !== 0) continue;
      const raw = text.slice(start, end + 1);
      const value = parseLooseJson(raw);
      if (value !== undefined) {
        found.push({ value, start, end: end + 1 });
        start = end;
      }
      break;
    }
  }
  return found;
}

function parseLooseJson(raw: string): unknown {
  for (const candidate of [raw, raw.replace(/'/g, '"')]) {
    try {
      return JSON.parse(candidate);
    } catch {
      // try the next spelling
    }
  }
  return undefined;
}

/** KEY=value tokens, and "KEY set to value" / "set KEY to value" for upper-case names. */
function findPairs(text: string, tokens: Token[]): PairMention[] {
  const found: PairMention[] = [];
  for (const token of tokens) {
    const match = /^([A-Za-z_][\w.-]*)=(.*)$/.exec(token.raw);
    if (match?.[1] && !URL_TOKEN.test(token.raw)) {
      found.push({ key: match[1], value: stripQuotes(match[2] ?? ''), start: token.start, end: token.end });
    }
  }
  const spoken =
    /\b(?:set\s+)?([A-Z][A-Z0-9_]{1,})\s+(?:set\s+to|to|=|as|equal\s+to|equals|is)\s+("[^"]*"|'[^']*'|[^\s,;]+)/g;
  for (const match of text.matchAll(spoken)) {
    const start = match.index ?? 0;
    const written = match[0];
    const setForm = /^set\s/i.test(written) || /\bset\s+to\b|\bequal|\bequals\b|=/.test(written);
    if (!setForm) continue;
    if (found.some((pair) => pair.start >= start && pair.start < start + written.length)) continue;
    found.push({
      key: match[1] ?? '',
      value: stripQuotes(match[2] ?? '').replace(/[.!?]$/, ''),
      start,
      end: start + written.length,
    });
  }
  return found.sort((a, b) => a.start - b.start);
}

function stripQuotes(value: string): string {
  return value.replace(/^["']|["']$/g, '');
}

function unitOf(tokens: Token[], token: Token): { value: number; unit?: string } | undefined {
  const attached = /^(\d+(?:\.\d+)?)([a-z]+)$/i.exec(token.raw);
  if (attached) {
    const unit = UNIT_WORDS[(attached[2] ?? '').toLowerCase()];
    return unit ? { value: Number(attached[1]), unit } : undefined;
  }
  const value = numberOf(token);
  if (value === undefined) return undefined;
  const next = tokens[token.index + 1];
  const unit = next && !token.boundaryAfter ? UNIT_WORDS[next.lower] : undefined;
  return unit ? { value, unit } : { value };
}

function isUrlLike(raw: string): boolean {
  return URL_TOKEN.test(raw) || REPO_SHORTHAND.test(raw);
}

function normalizeUrl(raw: string): string {
  const trimmed = raw.replace(/[.,;]+$/, '');
  return REPO_SHORTHAND.test(trimmed) ? `https://${trimmed}` : trimmed;
}

/** A media type (`application/gzip`) has a slash but is no path. */
const MEDIA_TYPE = /^(application|text|image|audio|video|font|multipart|model)\/[\w.+-]+$/i;

function isPathLike(token: Token): boolean {
  const raw = token.raw;
  if (MEDIA_TYPE.test(raw)) return false;
  if (isUrlLike(raw) || raw.startsWith('arn:') || raw.startsWith('s3://') || raw.includes('=')) return false;
  if (/^(\.{1,2}\/|~\/|\/)/.test(raw)) return raw.length > 1 || raw === '.';
  if (raw.includes('/') && /[A-Za-z0-9]/.test(raw)) return !/^\d+\/\d+$/.test(raw);
  return FILE_EXTENSION.test(raw);
}

/** Everything typed a text names; the text should already have its data blocks removed. */
export function findMentions(text: string): Mentions {
  const tokens = tokenize(text);
  const regions = findRegions(text);
  const urls: UrlMention[] = [];
  const s3Uris: S3UriMention[] = [];
  const arns: Token[] = [];
  const paths: PathMention[] = [];
  const numbers: NumberMention[] = [];
  for (const token of tokens) {
    const raw = token.raw;
    if (isUrlLike(raw)) urls.push({ value: normalizeUrl(raw), token });
    else if (/^s3:\/\//i.test(raw)) {
      const [, bucket = '', key = ''] = /^s3:\/\/([^/]+)\/?(.*)$/i.exec(raw) ?? [];
      s3Uris.push({ bucket, key, token });
    } else if (/^arn:aws[\w-]*:/.test(raw)) arns.push(token);
    else if (isPathLike(token)) paths.push({ value: raw, token, isFile: FILE_EXTENSION.test(raw) });
    else {
      const number = unitOf(tokens, token);
      if (number) numbers.push({ ...number, token });
    }
  }
  const json = findJson(text);
  // Quotes inside a JSON value belong to the JSON, not to the sentence.
  const quoted = findQuoted(text).filter(
    (quote) => !json.some((value) => quote.start >= value.start && quote.end <= value.end),
  );
  return {
    text,
    tokens,
    regions,
    urls,
    s3Uris,
    arns,
    paths,
    quoted,
    json,
    pairs: findPairs(text, tokens),
    numbers,
  };
}
