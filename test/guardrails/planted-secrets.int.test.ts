/**
 * Redaction across every sink: a whole deployment by chat whose inputs carry planted secrets of
 * every kind, then a scan of the events, the transcript, every row of every table of the store
 * (telemetry, audit, journal, checkpoints, reports...), the telemetry bus, the captured pino log
 * lines and the requests that reached the model. None may survive.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MASK } from '../../src/guardrails/redaction.js';
import { createExecutionRole } from '../aws/lambda-fixtures.js';
import { uniqueName } from '../helpers/unique-name.js';
import { makeBackendRepo, type ObservedSession, openObservedSession } from './observed-session.js';

const PLANTED = {
  awsAccessKeyId: 'AKIAPLANTEDKEY000042',
  awsSecretKey: 'pL4nTeD/SecretKey+0042abcdEFGHijklMNOPqr',
  awsSessionToken: `IQoJb3JpZ2luX2VjEPLANTED${'Zm9vYmFy'.repeat(12)}`,
  githubClassic: `ghp_${'Pl4ntedGh0'.repeat(4)}`,
  githubFineGrained: `github_pat_11PLANTED0${'Ab1'.repeat(22)}`,
  privateKeyBody: 'MIIEpAIBAAKCAQEAplantedPrivateKeyBody0042',
  urlPassword: 'Pl4ntedUrlPassw0rd',
  dotenvValue: 'pl4nted-dotenv-value-31337',
  markedSecret: 'launch-code-ZULU-7781',
};

const PRIVATE_KEY = `-----BEGIN RSA PRIVATE KEY-----\n${PLANTED.privateKeyBody}\n-----END RSA PRIVATE KEY-----`;

function leaks(text: string): string[] {
  return Object.entries(PLANTED)
    .filter(([, secret]) => text.includes(secret))
    .map(([name]) => name);
}

describe('planted secrets (redaction in every sink)', () => {
  let session: ObservedSession;
  let role: string;
  let sessionId: string;
  const app = uniqueName('scan');

  beforeAll(async () => {
    session = await openObservedSession();
    role = await createExecutionRole();
    makeBackendRepo(session.tools, 'shop-secrets');
    // A real .env (never committed, never read into context): its values must be masked everywhere.
    writeFileSync(
      join(session.tools.settings.workspace, 'shop-secrets', '.env'),
      `STRIPE_SECRET=${PLANTED.dotenvValue}\nPORT=8000\n`,
    );
  });
  afterAll(() => session.close());

  it('runs a whole deployment whose inputs carry them', async () => {
    const first = await session.send(
      `deploy ./shop-secrets to us-east-1 on lambda with role ${role} as app ${app}. ` +
        `For the record my key is ${PLANTED.awsAccessKeyId} with secret ${PLANTED.awsSecretKey} ` +
        `and session token ${PLANTED.awsSessionToken}; tokens ${PLANTED.githubClassic} and ${PLANTED.githubFineGrained}; ` +
        `the ticket code is ${PLANTED.markedSecret}; the database is postgres://admin:${PLANTED.urlPassword}@db.internal:5432/shop\n${PRIVATE_KEY}`,
      { secrets: [PLANTED.markedSecret] },
    );
    sessionId = first.sessionId;
    expect(first.status).toBe('waiting');
    const approval = session.last('approval-request');
    expect(approval.steps.map((step) => step.tool)).toEqual(['deploy_lambda_repo']);
    // Said while the plan waits: chat text never approves, and the .env value is masked by now.
    const aside = await session.send(
      `note that STRIPE_SECRET in my .env is ${PLANTED.dotenvValue} and ${PLANTED.markedSecret} again`,
      { sessionId },
    );
    expect(aside.status).toBe('waiting');
    const done = await session.answer(sessionId, {
      kind: 'approval',
      plan_hash: approval.plan_hash,
      decision: 'approve',
      reason: `fine, ${PLANTED.markedSecret}, token ${PLANTED.githubClassic}`,
    });
    expect(done.status).toBe('done');
    expect(session.last('deployment-end').status).toBe('succeeded');
  });

  it('leaves none of them in the events the session streamed', () => {
    expect(session.events.length).toBeGreaterThan(20);
    expect(leaks(JSON.stringify(session.events))).toEqual([]);
  });

  it('leaves none in any row of any table of the store (transcripts, checkpoints, telemetry, audit, journal, reports)', async () => {
    const dump = await session.dumpStore();
    expect(Object.keys(dump)).toEqual(
      expect.arrayContaining([
        'public.turns',
        'public.events',
        'public.telemetry',
        'public.audit',
        'public.journal',
      ]),
    );
    expect(Object.keys(dump).some((table) => table.includes('checkpoint'))).toBe(true);
    const found = Object.entries(dump).flatMap(([table, rows]) =>
      leaks(rows).map((secret) => `${table}: ${secret}`),
    );
    expect(found).toEqual([]);
    // The transcript kept the message, masked.
    const turns = await session.store.sessions.recentTurns(session.userId, sessionId);
    expect(turns[0]?.content).toContain(`secret ${MASK}`);
    expect(turns[0]?.content).toContain(`postgres://admin:${MASK}@db.internal`);
  });

  it('leaves none in telemetry, audit records, pino log lines or the requests sent to the model', () => {
    expect(session.telemetry.events.length).toBeGreaterThan(10);
    expect(session.audit.length).toBeGreaterThan(3);
    expect(session.logLines.length).toBeGreaterThan(10);
    expect(session.model.requests.length).toBeGreaterThan(1);
    expect(leaks(JSON.stringify(session.telemetry.events))).toEqual([]);
    expect(leaks(JSON.stringify(session.audit))).toEqual([]);
    expect(leaks(session.logLines.join(''))).toEqual([]);
    const requests = session.model.requests.join('\n');
    expect(leaks(requests)).toEqual([]);
    // The model still got the request itself, with the secrets masked.
    expect(requests).toContain('shop-secrets');
    expect(requests).toContain(MASK);
  });
});
