/** One redactor for every sink: masks credentials, tokens, keys and user-marked secrets with `***`. */
import { isSealedValue } from './sealed-values.js';

export const MASK = '***';

/** Object keys whose values are always secret, whatever they look like. */
const SECRET_KEY_PATTERN =
  /^(?:.*[_-])?(?:secret|password|passwd|passphrase|token|session_?token|secret_?access_?key|private_?key|api_?key|authorization|credentials?)$/i;

/** True for an argument or field name whose value is a secret (`password`, `api_key`, `DB_TOKEN`...). */
export function isSecretKeyName(name: string): boolean {
  return SECRET_KEY_PATTERN.test(name);
}

/** Text patterns that are secret wherever they appear. Order matters: longer shapes first. */
const SECRET_TEXT_PATTERNS: RegExp[] = [
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g,
  /\b(?:AKIA|ASIA|AIDA|AROA|ANPA|ANVA|AGPA)[A-Z0-9]{16}\b/g,
  // STS session tokens: base64 of a protobuf whose first bytes are always the same.
  /\b(?:IQoJb3JpZ2lu|FwoGZXIvYXdz|FQoGZXIvYXdz)[A-Za-z0-9/+=]{16,}/g,
  /\bgithub_pat_[A-Za-z0-9_]{22,255}\b/g,
  /\bgh[pousr]_[A-Za-z0-9]{36,255}\b/g,
  /\bglpat-[A-Za-z0-9_-]{20,}\b/g,
  /\bxox[abposr]-[A-Za-z0-9-]{10,}\b/g,
  // secret=..., "aws_secret_access_key": "...", Authorization: Bearer ... The value is on the same
  // line: `API_KEY=` with nothing after it (a .env template) must not swallow the next line's name.
  /((?:aws_)?secret(?:_access)?_?key|session_?token|password|passwd|api_?key|token)(["']?[ \t]*[:=][ \t]*["']?)([^\s"',;&]{6,})/gi,
  /(authorization["']?[ \t]*[:=][ \t]*["']?(?:bearer|basic|token)[ \t]+)([A-Za-z0-9._~+/=-]{8,})/gi,
];

/** user:password@ inside URLs. */
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)([^/\s:@]+):([^/\s@]+)@/gi;

/** A 40-character AWS secret access key standing on its own. */
const AWS_SECRET_SHAPE = /(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g;

function looksLikeAwsSecret(candidate: string): boolean {
  // Real secret keys mix cases and digits; hashes (hex) and words do not.
  return (
    /[a-z]/.test(candidate) &&
    /[A-Z]/.test(candidate) &&
    /[0-9]/.test(candidate) &&
    !/^[0-9a-f]+$/i.test(candidate)
  );
}

export interface Redactor {
  /** Masks every known secret shape and every registered secret value in a string. */
  text(input: string): string;
  /** Deep copy of a value with secret keys and secret-looking strings masked. */
  value<T>(input: T): T;
  /**
   * Registers exact values to mask from now on (for example `.env` values read from a project).
   * `expiresAt` is for secrets that stop working (an assumed role's session): they are forgotten
   * an hour after it, so a long-running server does not mask an ever-growing list.
   */
  addSecrets(values: Iterable<string>, options?: { expiresAt?: Date }): void;
}

/** How long an expired secret is still masked: clocks differ, and logs quote recent requests. */
const FORGET_AFTER_EXPIRY_MS = 60 * 60_000;

export function createRedactor(initialSecrets: Iterable<string> = []): Redactor {
  /** Each secret with the time it may be forgotten (Infinity: never). */
  const secrets = new Map<string, number>();
  /** The secrets longest first (a secret inside another must not break its mask); rebuilt on change. */
  let longestFirst: string[] = [];
  let nextForget = Number.POSITIVE_INFINITY;

  const changed = () => {
    longestFirst = [...secrets.keys()].sort((a, b) => b.length - a.length);
    nextForget = Number.POSITIVE_INFINITY;
    for (const forgetAt of secrets.values()) nextForget = Math.min(nextForget, forgetAt);
  };
  const addSecrets = (values: Iterable<string>, options: { expiresAt?: Date } = {}) => {
    const forgetAt = options.expiresAt
      ? options.expiresAt.getTime() + FORGET_AFTER_EXPIRY_MS
      : Number.POSITIVE_INFINITY;
    let added = false;
    for (const value of values) {
      if (!value || value.length < 4) continue;
      if ((secrets.get(value) ?? Number.NEGATIVE_INFINITY) >= forgetAt) continue;
      secrets.set(value, forgetAt);
      added = true;
    }
    if (added) changed();
  };
  const forgetExpired = () => {
    const now = Date.now();
    if (now < nextForget) return;
    for (const [secret, forgetAt] of secrets) if (forgetAt <= now) secrets.delete(secret);
    changed();
  };
  addSecrets(initialSecrets);

  const text = (input: string): string => {
    forgetExpired();
    let output = input;
    for (const secret of longestFirst) if (output.includes(secret)) output = output.split(secret).join(MASK);
    for (const pattern of SECRET_TEXT_PATTERNS) {
      output = output.replace(pattern, (match, ...groups) => {
        const captures = groups.slice(0, -2).filter((group) => typeof group === 'string') as string[];
        if (captures.length >= 2) return `${captures.slice(0, -1).join('')}${MASK}`;
        return match.length > 0 ? MASK : match;
      });
    }
    output = output.replace(
      URL_CREDENTIALS,
      (_match, scheme: string, user: string) => `${scheme}${user}:${MASK}@`,
    );
    output = output.replace(AWS_SECRET_SHAPE, (match) => (looksLikeAwsSecret(match) ? MASK : match));
    return output;
  };

  const value = <T>(input: T): T => redactDeep(input, text, new WeakSet()) as T;
  return { text, value, addSecrets };
}

/** `ancestors` holds the objects on the current path only: a value shared by two fields is copied twice, a cycle is cut. */
function redactDeep(input: unknown, text: (value: string) => string, ancestors: WeakSet<object>): unknown {
  if (typeof input === 'string') return text(input);
  if (input === null || typeof input !== 'object') return input;
  if (ancestors.has(input)) return '[circular]';
  if (input instanceof Uint8Array) return `[${input.byteLength} bytes]`;
  // A sealed form value shows as a secret does; its vault id means nothing to a reader.
  if (isSealedValue(input)) return MASK;
  ancestors.add(input);
  try {
    if (Array.isArray(input)) return input.map((item) => redactDeep(item, text, ancestors));
    const output: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(input)) {
      output[key] =
        SECRET_KEY_PATTERN.test(key) && item !== null && item !== undefined && item !== ''
          ? MASK
          : redactDeep(item, text, ancestors);
    }
    return output;
  } finally {
    ancestors.delete(input);
  }
}

/** The process-wide redactor every sink shares. */
export const redactor = createRedactor();
