/**
 * Deployment history: GET /api/deployments, /api/deployments/:id (with its journal and the reports
 * of its session), /api/reports/:id and /api/metrics. Only the caller's own records exist.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { deploymentMetrics } from '../../agents/metrics.js';
import type { DeploymentRecord, JournalEntry, Store } from '../../store/ports.js';
import { identityOf, parseWith, sendError } from '../http-errors.js';
import { reportSummary } from './sessions.js';

const idParams = z.object({ id: z.string().min(1).max(128) });
const listQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(50) });

function deploymentView(deployment: DeploymentRecord) {
  // The repository URL's hash identifies nothing to a person; it stays in the store.
  const { userId: _owner, repoUrlHash: _hash, ...view } = deployment;
  return view;
}

function journalView(entry: JournalEntry) {
  const { deploymentId: _deployment, ...view } = entry;
  return view;
}

export function registerDeploymentRoutes(app: FastifyInstance, store: Store): void {
  app.get('/api/deployments', async (request, reply) => {
    const query = parseWith(listQuery, request.query, reply);
    if (!query) return reply;
    const deployments = await store.deployments.list(identityOf(request).userId, query.limit);
    return { deployments: deployments.map(deploymentView) };
  });

  app.get('/api/deployments/:id', async (request, reply) => {
    const params = parseWith(idParams, request.params, reply);
    if (!params) return reply;
    const { userId } = identityOf(request);
    const deployment = await store.deployments.get(userId, params.id);
    if (!deployment) return sendError(reply, 404, 'not_found', `deployment ${params.id} not found`);
    const [journal, reports] = await Promise.all([
      store.deployments.journal(deployment.id),
      store.reports.listForSession(userId, deployment.sessionId),
    ]);
    return {
      deployment: deploymentView(deployment),
      journal: journal.map(journalView),
      reports: reports.map(reportSummary),
    };
  });

  app.get('/api/reports/:id', async (request, reply) => {
    const params = parseWith(idParams, request.params, reply);
    if (!params) return reply;
    const report = await store.reports.get(identityOf(request).userId, params.id);
    if (!report) return sendError(reply, 404, 'not_found', `report ${params.id} not found`);
    const { userId: _owner, ...view } = report;
    return { report: view };
  });

  app.get('/api/metrics', async (request) => {
    const history = await store.deployments.list(identityOf(request).userId, 1000);
    return { metrics: deploymentMetrics(history) };
  });
}
