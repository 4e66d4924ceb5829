/**
 * Who is calling the server. Single-user mode: the random access token printed at start, sent as a
 * bearer token or exchanged once for a session cookie. Multi-user mode: accounts with scrypt
 * password hashes and session cookies, or the identity a trusted reverse proxy puts in a header.
 * Session cookies are random; the store keeps only their SHA-256, and the CSRF token of a session
 * is an HMAC of its cookie, so it is bound to that session and needs no storage.
 */
import { createHash, createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { isCopilotError } from '../errors/copilot-error.js';
import type { UserRecord, UserRepository } from '../store/ports.js';
import { verifyPassword } from './passwords.js';

export const SESSION_COOKIE = 'aws_copilot_session';
const LOGIN_LIFETIME_MS = 12 * 3_600_000;
/** Names a trusted proxy may send: e-mail addresses and account names, nothing that needs escaping. */
const PROXY_NAME = /^[\w.@+-]{1,128}$/;

export type AuthMode =
  | { kind: 'single-user'; token: string; user: { id: string; name: string } }
  | { kind: 'multi-user'; trustedUserHeader?: string };

export interface Identity {
  userId: string;
  name: string;
  /** What proved it: the bearer token, the session cookie, or the trusted proxy's header. */
  via: 'token' | 'cookie' | 'header';
  /** The session cookie, when it belongs to this person: CSRF tokens are derived from it. */
  login?: string;
}

export function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const index = part.indexOf('=');
    if (index <= 0) continue;
    const name = part.slice(0, index).trim();
    if (!cookies.has(name)) cookies.set(name, part.slice(index + 1).trim());
  }
  return cookies;
}

/** HttpOnly and SameSite=Strict: scripts cannot read it and other sites cannot send it. */
export function sessionCookieHeader(value: string, options: { secure: boolean; maxAgeMs?: number }): string {
  const maxAge = Math.floor((options.maxAgeMs ?? LOGIN_LIFETIME_MS) / 1000);
  return [
    `${SESSION_COOKIE}=${value}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Strict',
    `Max-Age=${maxAge}`,
    ...(options.secure ? ['Secure'] : []),
  ].join('; ');
}

export function clearedSessionCookieHeader(secure: boolean): string {
  return sessionCookieHeader('', { secure, maxAgeMs: 0 });
}

/**
 * The CSRF token of a session: only a page that can read our API's answers learns it. Hex, so the
 * response redactor never mistakes it for an AWS secret key.
 */
export function csrfTokenFor(login: string): string {
  return createHmac('sha256', login).update('aws-copilot csrf v1').digest('hex');
}

/** Compares secrets in constant time. */
export function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

const hashOf = (value: string) => createHash('sha256').update(value).digest('hex');

function bearerOf(request: FastifyRequest): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
  return match?.[1];
}

export class Authenticator {
  /** Proxy identities already known to the store, by name. */
  private readonly proxyUsers = new Map<string, UserRecord>();

  constructor(
    readonly mode: AuthMode,
    private readonly users: UserRepository,
  ) {}

  get multiUser(): boolean {
    return this.mode.kind === 'multi-user';
  }

  /** The caller, or undefined when the request proves nobody. */
  async identify(request: FastifyRequest): Promise<Identity | undefined> {
    const cookie = parseCookies(request.headers.cookie).get(SESSION_COOKIE);
    const login = cookie ? await this.users.getLogin(hashOf(cookie)) : undefined;
    const session = (userId: string) => (cookie && login?.userId === userId ? { login: cookie } : {});
    const { mode } = this;
    if (mode.kind === 'single-user') {
      const bearer = bearerOf(request);
      if (bearer !== undefined)
        return this.tokenMatches(bearer)
          ? { userId: mode.user.id, name: mode.user.name, via: 'token' }
          : undefined;
      return login?.userId === mode.user.id
        ? { userId: mode.user.id, name: mode.user.name, via: 'cookie', ...session(mode.user.id) }
        : undefined;
    }
    if (mode.trustedUserHeader) {
      const name = request.headers[mode.trustedUserHeader];
      if (typeof name !== 'string' || !PROXY_NAME.test(name)) return undefined;
      const user = await this.proxyUser(name);
      return { userId: user.id, name: user.name, via: 'header', ...session(user.id) };
    }
    if (!login) return undefined;
    const user = await this.users.get(login.userId);
    return user ? { userId: user.id, name: user.name, via: 'cookie', ...session(user.id) } : undefined;
  }

  tokenMatches(token: string): boolean {
    return this.mode.kind === 'single-user' && sameSecret(token, this.mode.token);
  }

  /** The account when name and password match; the same work is done when the name is unknown. */
  async checkPassword(name: string, password: string): Promise<UserRecord | undefined> {
    const user = await this.users.findByName(name);
    const matches = await verifyPassword(password, user?.passwordHash);
    return matches ? user : undefined;
  }

  /** A new session cookie value for `userId`; the store keeps only its hash. */
  async startLogin(userId: string): Promise<string> {
    const cookie = randomBytes(32).toString('base64url');
    await this.users.createLogin({
      tokenHash: hashOf(cookie),
      userId,
      expiresAt: new Date(Date.now() + LOGIN_LIFETIME_MS).toISOString(),
    });
    return cookie;
  }

  async endLogin(cookie: string): Promise<void> {
    await this.users.removeLogin(hashOf(cookie));
  }

  /** People behind the proxy get an account (without password) the first time they come. */
  private async proxyUser(name: string): Promise<UserRecord> {
    const known = this.proxyUsers.get(name) ?? (await this.users.findByName(name));
    if (known) {
      this.proxyUsers.set(name, known);
      return known;
    }
    try {
      const created = await this.users.create({ id: randomUUID(), name });
      this.proxyUsers.set(name, created);
      return created;
    } catch (error) {
      // Two first requests of one person raced; the other one created the account.
      if (!isCopilotError(error) || error.code !== 'conflict') throw error;
      const raced = await this.users.findByName(name);
      if (!raced) throw error;
      return raced;
    }
  }
}
