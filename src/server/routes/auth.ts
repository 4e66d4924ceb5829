/**
 * Signing in and out: POST /api/auth/login (multi-user accounts), POST /api/auth/token (the
 * single-user access token), POST /api/auth/logout, GET /api/auth/me (who am I, my CSRF token).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { loginBodySchema, type Me, tokenBodySchema } from '../../protocol/api.js';
import {
  type Authenticator,
  clearedSessionCookieHeader,
  csrfTokenFor,
  type Identity,
  sessionCookieHeader,
} from '../auth.js';
import { identityOf, parseWith, sendError } from '../http-errors.js';

const secure = (request: FastifyRequest) => request.protocol === 'https';

function me(auth: Authenticator, user: { id: string; name: string }, login: string | undefined): Me {
  return {
    user: { id: user.id, name: user.name },
    mode: auth.multiUser ? 'multi-user' : 'single-user',
    ...(login ? { csrfToken: csrfTokenFor(login) } : {}),
  };
}

/** Starts a login for `user` and sets its cookie; answers who is signed in and the CSRF token. */
export async function signIn(
  auth: Authenticator,
  request: FastifyRequest,
  reply: FastifyReply,
  user: { id: string; name: string },
): Promise<Me> {
  const login = await auth.startLogin(user.id);
  reply.header('set-cookie', sessionCookieHeader(login, { secure: secure(request) }));
  return me(auth, user, login);
}

export function registerAuthRoutes(app: FastifyInstance, auth: Authenticator): void {
  const { mode } = auth;

  app.post('/api/auth/login', { config: { public: true } }, async (request, reply) => {
    if (mode.kind !== 'multi-user' || mode.trustedUserHeader)
      return sendError(
        reply,
        404,
        'not_found',
        mode.kind === 'single-user'
          ? 'this server runs in single-user mode: open the URL it printed at start'
          : 'sign-in happens at the proxy in front of this server',
      );
    const body = parseWith(loginBodySchema, request.body, reply);
    if (!body) return reply;
    const user = await auth.checkPassword(body.username, body.password);
    if (!user) return sendError(reply, 401, 'unauthorized', 'wrong user name or password');
    return signIn(auth, request, reply, user);
  });

  app.post('/api/auth/token', { config: { public: true } }, async (request, reply) => {
    if (mode.kind !== 'single-user')
      return sendError(reply, 404, 'not_found', 'this server runs in multi-user mode: sign in instead');
    const body = parseWith(tokenBodySchema, request.body, reply);
    if (!body) return reply;
    if (!auth.tokenMatches(body.token))
      return sendError(
        reply,
        401,
        'unauthorized',
        'wrong access token: use the one aws-copilot serve printed',
      );
    return signIn(auth, request, reply, mode.user);
  });

  app.post('/api/auth/logout', async (request, reply) => {
    const identity = identityOf(request);
    if (identity.login) await auth.endLogin(identity.login);
    reply.header('set-cookie', clearedSessionCookieHeader(secure(request)));
    return reply.code(204).send();
  });

  app.get('/api/auth/me', async (request, reply): Promise<Me> => {
    const identity: Identity = identityOf(request);
    const user = { id: identity.userId, name: identity.name };
    // Behind a proxy the first visit gets a session too: the CSRF token needs one to be bound to.
    if (identity.via === 'header' && !identity.login) return signIn(auth, request, reply, user);
    return me(auth, user, identity.login);
  });
}
