/**
 * The gate every request passes before its route runs: security headers, the Host check (a server
 * on loopback answers only to loopback names: DNS rebinding), the Origin check on state-changing
 * requests and WebSocket upgrades, authentication, the per-user rate limit, and the CSRF token on
 * state-changing requests made with a session cookie or a proxy identity.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CSRF_HEADER } from '../protocol/api.js';
import { type Authenticator, csrfTokenFor, type Identity, sameSecret } from './auth.js';
import { sendError } from './http-errors.js';
import type { RequestLimiter } from './request-limiter.js';

/** Names and addresses only this machine can reach (an IPv6 literal may come in brackets). */
export function isLoopbackHost(hostname: string): boolean {
  const name = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return (
    name === 'localhost' || name.endsWith('.localhost') || name === '::1' || /^127\.\d+\.\d+\.\d+$/.test(name)
  );
}

function hostnameOf(hostHeader: string | undefined): string | undefined {
  try {
    return hostHeader ? new URL(`http://${hostHeader}`).hostname : undefined;
  } catch {
    return undefined;
  }
}

/** No Origin: not a browser. Otherwise the page must come from this server or a listed origin. */
function originAllowed(request: FastifyRequest, allowed: Set<string>): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  try {
    const url = new URL(origin);
    return allowed.has(url.origin) || url.host === request.headers.host;
  } catch {
    return false;
  }
}

export function requestGate(options: {
  auth: Authenticator;
  limiter: RequestLimiter;
  allowedOrigins: Set<string>;
  loopbackOnly: boolean;
}) {
  const { auth, limiter, allowedOrigins, loopbackOnly } = options;
  return async (request: FastifyRequest, reply: FastifyReply) => {
    reply
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'no-referrer')
      .header('x-frame-options', 'DENY');
    if (request.url.startsWith('/api/')) reply.header('cache-control', 'no-store');
    const hostname = hostnameOf(request.headers.host);
    if (loopbackOnly && !(hostname && isLoopbackHost(hostname)))
      return sendError(
        reply,
        403,
        'forbidden',
        'this server listens on loopback and answers only to localhost addresses',
      );
    const unsafe = !['GET', 'HEAD', 'OPTIONS'].includes(request.method);
    const upgrade = request.headers.upgrade?.toLowerCase() === 'websocket';
    if ((unsafe || upgrade) && !originAllowed(request, allowedOrigins))
      return sendError(
        reply,
        403,
        'origin_refused',
        `requests from ${request.headers.origin} are refused; list the origin in AWS_COPILOT_ALLOWED_ORIGINS to allow it`,
      );
    const identity = await auth.identify(request);
    if (identity) request.identity = identity;
    const isPublic = request.routeOptions.config?.public === true;
    if (!identity && !isPublic)
      return sendError(
        reply,
        401,
        'unauthorized',
        auth.multiUser
          ? 'sign in first'
          : 'open the URL aws-copilot serve printed, or send its token as a bearer token',
      );
    const wait = limiter.take(identity ? `user:${identity.userId}` : `address:${request.ip}`);
    if (wait > 0) {
      reply.header('retry-after', String(Math.ceil(wait / 1000)));
      return sendError(
        reply,
        429,
        'rate_limited',
        `too many requests: try again in ${Math.ceil(wait / 1000)} s`,
      );
    }
    if (unsafe && !isPublic && identity && !csrfSatisfied(request, identity))
      return sendError(
        reply,
        403,
        'csrf_failed',
        `missing or wrong ${CSRF_HEADER} header: send the csrfToken of GET /api/auth/me`,
      );
  };
}

/** Bearer tokens are never sent by a browser on its own; cookie and proxy sessions need the token bound to them. */
function csrfSatisfied(request: FastifyRequest, identity: Identity): boolean {
  if (identity.via === 'token') return true;
  const given = request.headers[CSRF_HEADER];
  return Boolean(
    identity.login && typeof given === 'string' && sameSecret(given, csrfTokenFor(identity.login)),
  );
}
