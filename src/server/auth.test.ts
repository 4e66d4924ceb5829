import { describe, expect, it } from 'vitest';
import { redactor } from '../guardrails/redaction.js';
import { csrfTokenFor, parseCookies, SESSION_COOKIE, sameSecret, sessionCookieHeader } from './auth.js';

describe('session cookies and CSRF tokens', () => {
  it('reads the first value of each cookie and ignores malformed parts', () => {
    const cookies = parseCookies(`theme=dark; ${SESSION_COOKIE}=abc-123_x; junk; ${SESSION_COOKIE}=later`);
    expect(cookies.get(SESSION_COOKIE)).toBe('abc-123_x');
    expect(cookies.get('theme')).toBe('dark');
    expect(parseCookies(undefined).size).toBe(0);
  });

  it('sets the session cookie HttpOnly and SameSite=Strict, Secure over HTTPS', () => {
    expect(sessionCookieHeader('v', { secure: false })).toBe(
      `${SESSION_COOKIE}=v; Path=/; HttpOnly; SameSite=Strict; Max-Age=43200`,
    );
    expect(sessionCookieHeader('v', { secure: true })).toMatch(/; Secure$/);
  });

  it('derives a CSRF token per session that the response redactor never masks', () => {
    // Base64 tokens were sometimes taken for AWS secret keys and answered as ***.
    for (let index = 0; index < 500; index += 1) {
      const token = csrfTokenFor(`session-${index}`);
      expect(redactor.value({ csrfToken: token })).toEqual({ csrfToken: token });
    }
    expect(csrfTokenFor('a')).not.toBe(csrfTokenFor('b'));
    expect(sameSecret(csrfTokenFor('a'), csrfTokenFor('a'))).toBe(true);
    expect(sameSecret(csrfTokenFor('a'), 'short')).toBe(false);
  });
});
