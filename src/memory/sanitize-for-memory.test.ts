import { describe, expect, it } from 'vitest';
import { createRedactor } from '../guardrails/redaction.js';
import { sanitizeForMemory } from './sanitize-for-memory.js';

/** Planted secrets of every shape the redactor or the memory's own pass must catch. */
const PLANTED = {
  accessKey: 'AKIAQWERTYUIOPASDFGH',
  secretKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  openai: 'sk-proj-Zx81Qm4Lk2Vb7Nn0Pp3Rr5Tt',
  github: 'ghp_0123456789abcdefghijABCDEFGHIJ012345',
  jwt: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbm4ifQ.c2lnbmF0dXJlLXZhbHVl',
  random: 'q8Hz3LmW0xYv7TbN2kRfP9sDjC4gE6uA',
  password: 'hunter2-correct-horse',
  registered: 'shop-db-pass-4242',
};

const withSecrets = [
  'The FastAPI backend on Lambda failed its health check after the deploy.',
  `It used access key ${PLANTED.accessKey} and secret ${PLANTED.secretKey}.`,
  `OPENAI key ${PLANTED.openai}, GitHub token ${PLANTED.github}, bearer ${PLANTED.jwt}.`,
  `A random token ${PLANTED.random}; password=${PLANTED.password}; DATABASE_PASSWORD is ${PLANTED.registered}.`,
].join('\n');

describe('sanitizeForMemory', () => {
  it('masks every planted secret and keeps the rest of the text', () => {
    const result = sanitizeForMemory(withSecrets, createRedactor([PLANTED.registered]));
    if (!result.ok) throw new Error(result.reason);
    for (const secret of Object.values(PLANTED)) expect(result.text).not.toContain(secret);
    expect(result.text).toContain('The FastAPI backend on Lambda failed its health check after the deploy.');
    expect(result.masked).toBeGreaterThanOrEqual(Object.keys(PLANTED).length);
  });

  it('refuses text holding a private key instead of masking it', () => {
    const result = sanitizeForMemory(
      'key:\n-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA\n-----END RSA PRIVATE KEY-----',
      createRedactor(),
    );
    expect(result).toEqual({ ok: false, reason: 'the text holds a private key' });
    expect(sanitizeForMemory('a stray line PRIVATE KEY----- from a cut file', createRedactor()).ok).toBe(
      false,
    );
  });

  it('leaves ordinary technical text alone: paths, versions, ARNs of roles, short hashes', () => {
    const text =
      'backend/app/main.py serves /api/health; vite.config.ts builds frontend/dist; role arn:aws:iam::123456789012:role/shop-lambda; plan 3f2a9c1d0b7e; python3.12 and node 20.19';
    expect(sanitizeForMemory(text, createRedactor())).toEqual({ ok: true, text, masked: 0 });
  });
});
