/**
 * The built web UI (web/dist) and the single-user start-up URL. Only files listed when the server
 * starts are served, so no path can reach outside the folder; other paths get index.html (the UI
 * routes in the browser). Without a built UI, / says how the API can be reached.
 */
import { createReadStream, existsSync, readdirSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { WS_AGENT_PATH } from '../../protocol/ws.js';
import type { Authenticator } from '../auth.js';
import { sendError } from '../http-errors.js';
import { signIn } from './auth.js';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};

/** Scripts and styles from this origin only; the page cannot be framed. */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "style-src 'self' 'unsafe-inline'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

const PLACEHOLDER = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>aws-copilot</title></head>
<body><main><h1>aws-copilot is running</h1>
<p>The web UI is not built into this copy. The API answers under <code>/api</code> and the chat
WebSocket at <code>${WS_AGENT_PATH}</code>; <code>aws-copilot chat</code> works in a terminal.</p>
</main></body></html>
`;

/** URL path (`/assets/app.js`) to file, for every file under `root`. */
function listFiles(root: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) files.set(`/${relative(root, path).split(sep).join('/')}`, path);
    }
  };
  walk(root);
  return files;
}

function sendFile(reply: FastifyReply, urlPath: string, file: string): FastifyReply {
  const type = CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
  // Vite's assets carry a content hash in their names; everything else is checked each time.
  const cache = urlPath.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache';
  reply.type(type).header('cache-control', cache).header('content-length', statSync(file).size);
  if (type.startsWith('text/html')) reply.header('content-security-policy', CONTENT_SECURITY_POLICY);
  return reply.send(createReadStream(file));
}

export function registerWebRoutes(
  app: FastifyInstance,
  options: { webRoot?: string; auth: Authenticator },
): void {
  const { webRoot, auth } = options;
  const files =
    webRoot && existsSync(join(webRoot, 'index.html')) ? listFiles(webRoot) : new Map<string, string>();
  const index = files.get('/index.html');

  const page = (reply: FastifyReply) =>
    index
      ? sendFile(reply, '/index.html', index)
      : reply
          .type('text/html; charset=utf-8')
          .header('content-security-policy', CONTENT_SECURITY_POLICY)
          .send(PLACEHOLDER);

  app.get('/', { config: { public: true } }, async (request: FastifyRequest, reply) => {
    const { token } = request.query as { token?: unknown };
    if (typeof token === 'string' && auth.mode.kind === 'single-user') {
      if (!auth.tokenMatches(token))
        return sendError(
          reply,
          401,
          'unauthorized',
          'wrong access token: use the URL aws-copilot serve printed',
        );
      await signIn(auth, request, reply, auth.mode.user);
      // The token leaves the address bar (and the history) at once.
      return reply.redirect('/', 303);
    }
    return page(reply);
  });

  app.get('/*', { config: { public: true } }, async (request, reply) => {
    const path = `/${(request.params as { '*'?: string })['*'] ?? ''}`;
    const file = files.get(path);
    if (file) return sendFile(reply, path, file);
    if (path.startsWith('/api/') || path.startsWith('/ws/') || extname(path) !== '')
      return sendError(reply, 404, 'not_found', `nothing at ${path}`);
    return page(reply);
  });
}
