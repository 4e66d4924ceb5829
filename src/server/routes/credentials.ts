/**
 * AWS credentials, write-only: PUT /api/credentials/:name seals them in the vault, GET lists masks,
 * DELETE removes one. No route ever answers a secret.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { credentialInputSchema, credentialNameSchema } from '../../protocol/credentials.js';
import type { CredentialVault } from '../../store/vault/credential-vault.js';
import { identityOf, parseWith, sendError, sendFailure } from '../http-errors.js';

const nameParams = z.object({ name: credentialNameSchema });
/** Masks only, by construction: the response redactor would blank keys such as `credentials`. */
const masked = { config: { masked: true } };

export function registerCredentialRoutes(app: FastifyInstance, vault: CredentialVault): void {
  app.get('/api/credentials', masked, async (request) => ({
    credentials: await vault.list(identityOf(request).userId),
  }));

  app.put('/api/credentials/:name', masked, async (request, reply) => {
    const params = parseWith(nameParams, request.params, reply);
    if (!params) return reply;
    const body = parseWith(credentialInputSchema, request.body, reply);
    if (!body) return reply;
    try {
      return { credential: await vault.put(identityOf(request).userId, params.name, body) };
    } catch (error) {
      return sendFailure(request, reply, error);
    }
  });

  app.delete('/api/credentials/:name', masked, async (request, reply) => {
    const params = parseWith(nameParams, request.params, reply);
    if (!params) return reply;
    const removed = await vault.remove(identityOf(request).userId, params.name);
    if (!removed) return sendError(reply, 404, 'not_found', `no stored credential named ${params.name}`);
    return reply.code(204).send();
  });
}
