/** GET /api/health: up, which store, which mode, and whether AWS calls go to the sandbox. */
import type { FastifyInstance } from 'fastify';
import type { Health } from '../../protocol/api.js';
import { PROTOCOL_VERSION } from '../../protocol/ws.js';

export interface HealthOptions {
  version: string;
  mode: Health['mode'];
  store: string;
  /** The emulator's endpoint when AWS calls go to the local sandbox. */
  sandboxEndpoint?: string;
}

export function sandboxBanner(endpoint: string): string {
  return `SANDBOX: AWS calls go to the local emulator at ${endpoint}; nothing here touches real AWS`;
}

export function registerHealthRoutes(app: FastifyInstance, options: HealthOptions): void {
  const health: Health = {
    status: 'ok',
    version: options.version,
    protocolVersion: PROTOCOL_VERSION,
    mode: options.mode,
    store: options.store,
    sandbox: Boolean(options.sandboxEndpoint),
    ...(options.sandboxEndpoint ? { banner: sandboxBanner(options.sandboxEndpoint) } : {}),
  };
  app.get('/api/health', { config: { public: true } }, async () => health);
}
