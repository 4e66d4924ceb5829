/**
 * What may enter vector memory: text through the shared redactor, then a second, stricter pass for secret shapes
 * the redactor does not know (provider API keys, JWTs, long random tokens). Memory outlives every session and its
 * text is sent to an embedding provider, so a doubtful token is masked rather than kept.
 */
import { MASK, redactor as processRedactor, type Redactor } from '../guardrails/redaction.js';

/** Shapes that mean the text carried key material: such a note is refused, not masked. */
const REFUSED_SHAPES: Array<{ pattern: RegExp; reason: string }> = [
  { pattern: /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----|PRIVATE KEY-----/, reason: 'a private key' },
  { pattern: /\bPuTTY-User-Key-File-\d/, reason: 'a private key' },
];

/** Secret shapes the redactor leaves alone, masked wherever they appear. */
const MASKED_SHAPES: RegExp[] = [
  // OpenAI, Anthropic and similar provider keys.
  /\bsk-(?:proj-|ant-|live-|test-)?[A-Za-z0-9_-]{16,}/g,
  // Stripe-style live and test keys.
  /\b[rsp]k_(?:live|test)_[A-Za-z0-9]{16,}/g,
  // Google API keys.
  /\bAIza[0-9A-Za-z_-]{30,}/g,
  // JSON Web Tokens.
  /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g,
  // Long hexadecimal strings: API tokens and signatures as often as hashes.
  /\b[0-9a-fA-F]{32,}\b/g,
];

/** A run of token characters long enough to be a credential. */
const LONG_TOKEN = /[A-Za-z0-9+/_=-]{24,}/g;

/** Mixed case and digits with few repeats: random, not a word, an identifier or a path. */
function looksRandom(token: string): boolean {
  if (!/[a-z]/.test(token) || !/[A-Z]/.test(token) || !/[0-9]/.test(token)) return false;
  if (token.includes('/') && token.split('/').every((part) => /^[A-Za-z][a-z]*$|^$/.test(part))) return false;
  const counts = new Map<string, number>();
  for (const character of token) counts.set(character, (counts.get(character) ?? 0) + 1);
  let entropy = 0;
  for (const count of counts.values()) {
    const share = count / token.length;
    entropy -= share * Math.log2(share);
  }
  return entropy >= 3.5;
}

export type SanitizedText =
  | { ok: true; text: string /** How many spans were masked. */; masked: number }
  | { ok: false; reason: string };

/** The text safe to keep and embed, or a refusal naming what it held (never the secret itself). */
export function sanitizeForMemory(text: string, redactor: Redactor = processRedactor): SanitizedText {
  for (const { pattern, reason } of REFUSED_SHAPES)
    if (pattern.test(text)) return { ok: false, reason: `the text holds ${reason}` };
  let masked = 0;
  const mask = () => {
    masked += 1;
    return MASK;
  };
  const redacted = redactor.text(text);
  masked += redacted.split(MASK).length - text.split(MASK).length;
  let output = redacted;
  for (const pattern of MASKED_SHAPES) output = output.replace(pattern, mask);
  output = output.replace(LONG_TOKEN, (token) => (looksRandom(token) ? mask() : token));
  return { ok: true, text: output, masked };
}
