/**
 * Redaction across every sink and sealing in the store, on each adapter: a whole deployment by
 * chat whose inputs carry planted secrets of every kind, with an environment-variable form
 * answered with two more (a live-key shape, and a plain random word no pattern recognises, which
 * only sealing keeps out of the store). Then a scan of the events, the transcript, every row of
 * every table or collection (checkpoints and their writes included, binary decoded), the
 * telemetry bus, the captured pino log lines and the requests that reached the model: none may
 * hold any planted value, in clear, hex or base64. The deployed function does hold the two form
 * values: the secrets reached AWS, as the person wanted.
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import { Annotation, END, START, StateGraph } from '@langchain/langgraph';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MASK } from '../../src/guardrails/redaction.js';
import { createExecutionRole } from '../aws/lambda-fixtures.js';
import { git } from '../github/repo-fixtures.js';
import { uniqueName } from '../helpers/unique-name.js';
import { makeBackendRepo, type ObservedSession, openObservedSession } from './observed-session.js';
import type { StoreKind } from './observed-store.js';

/** `length` random characters of `alphabet`. */
function random(alphabet: string, length: number): string {
  return [...randomBytes(length)].map((byte) => alphabet[byte % alphabet.length]).join('');
}

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const ALNUM = `${UPPER}${LOWER}0123456789`;

/** Fresh values per run: one adapter's run must not pass thanks to what an earlier one registered. */
function plantedValues() {
  return {
    awsAccessKeyId: `AKIAPLANTED${random(`${UPPER}0123456789`, 9)}`,
    awsSecretKey: `pL4nTeD/SecretKey+${random(ALNUM, 22)}`,
    awsSessionToken: `IQoJb3JpZ2luX2VjEPLANTED${random(ALNUM, 96)}`,
    githubClassic: `ghp_${random(ALNUM, 40)}`,
    githubFineGrained: `github_pat_11PLANTED0${random(ALNUM, 66)}`,
    privateKeyBody: `MIIEpAIBAAKCAQEAplanted${random(ALNUM, 20)}`,
    urlPassword: `Pl4ntedUrl${random(ALNUM, 12)}`,
    dotenvValue: `pl4nted-dotenv-${random(LOWER, 12)}`,
    markedSecret: `launch-code-${random(UPPER, 10)}`,
    /** Typed into the environment-variable form. */
    formLiveKey: `sk_live_${random(ALNUM, 24)}`,
    /** Typed into the form too: no secret shape at all, so no pattern can mask it. */
    formPlainWord: random(LOWER, 24),
  };
}

/** Base64 of `value` wherever it starts inside a longer encoded blob (each of the three alignments). */
function base64Forms(value: string): string[] {
  return [0, 1, 2].map((offset) => {
    const encoded = Buffer.concat([Buffer.alloc(offset), Buffer.from(value)]).toString('base64');
    // Drop the characters that mix in the prefix's bits, and the last group, which mixes in padding.
    return encoded.slice(Math.ceil((offset * 4) / 3), -4);
  });
}

function leaksOf(planted: Record<string, string>) {
  const forms = Object.entries(planted).map(
    ([name, value]) => [name, [value, Buffer.from(value).toString('hex'), ...base64Forms(value)]] as const,
  );
  return (text: string): string[] =>
    forms.filter(([, variants]) => variants.some((variant) => text.includes(variant))).map(([name]) => name);
}

const ADAPTERS: StoreKind[] = ['pglite', 'postgres', 'mongodb'];

describe.each(ADAPTERS)('planted secrets on %s (redaction in every sink, sealed form values)', (kind) => {
  const PLANTED = plantedValues();
  const leaks = leaksOf(PLANTED);
  const privateKey = `-----BEGIN RSA PRIVATE KEY-----\n${PLANTED.privateKeyBody}\n-----END RSA PRIVATE KEY-----`;
  let session: ObservedSession;
  let role: string;
  let sessionId: string;
  const app = uniqueName('scan');
  const repo = `shop-secrets-${kind}`;

  beforeAll(async () => {
    session = await openObservedSession({ store: kind });
    role = await createExecutionRole();
    makeBackendRepo(session.tools, repo);
    const dir = join(session.tools.settings.workspace, repo);
    // The app declares two variables without a default, so the deploy asks for them in a form.
    writeFileSync(join(dir, '.env.example'), 'PAYMENT_API_KEY=\nSESSION_PEPPER=\n');
    git(dir, 'add', '.env.example');
    git(dir, 'commit', '-q', '-m', 'declare environment');
    // A real .env (never committed, never read into context): its values must be masked everywhere.
    writeFileSync(join(dir, '.env'), `STRIPE_SECRET=${PLANTED.dotenvValue}\nPORT=8000\n`);
  });
  afterAll(() => session.close());

  it('runs a whole deployment whose chat and environment form carry them', async () => {
    const first = await session.send(
      `deploy ./${repo} to us-east-1 on lambda with role ${role} as app ${app}. ` +
        `For the record my key is ${PLANTED.awsAccessKeyId} with secret ${PLANTED.awsSecretKey} ` +
        `and session token ${PLANTED.awsSessionToken}; tokens ${PLANTED.githubClassic} and ${PLANTED.githubFineGrained}; ` +
        `the ticket code is ${PLANTED.markedSecret}; the database is postgres://admin:${PLANTED.urlPassword}@db.internal:5432/shop\n${privateKey}`,
      { secrets: [PLANTED.markedSecret] },
    );
    sessionId = first.sessionId;
    expect(first.status).toBe('waiting');
    const form = session.last('form-request');
    expect(form.fields.map((field) => [field.name, field.kind])).toEqual([
      ['environment.PAYMENT_API_KEY', 'secret'],
      ['environment.SESSION_PEPPER', 'secret'],
    ]);
    const planned = await session.answer(sessionId, {
      kind: 'form',
      form_id: form.form_id,
      values: {
        'environment.PAYMENT_API_KEY': PLANTED.formLiveKey,
        'environment.SESSION_PEPPER': PLANTED.formPlainWord,
      },
    });
    expect(planned.status).toBe('waiting');
    // While the workflow runs, the form values live in the vault, sealed: one record each.
    const sealedRecords = async () =>
      (await session.store.credentials.list(session.userId)).filter(
        (record) => record.kind === 'sealed-value',
      );
    expect(await sealedRecords()).toHaveLength(2);
    const approval = session.last('approval-request');
    expect(approval.steps.map((step) => step.tool)).toEqual(['deploy_lambda_repo']);
    // The card shows the variables the person gave, never their values.
    expect(approval.steps[0]?.args.environment).toEqual({ PAYMENT_API_KEY: MASK, SESSION_PEPPER: MASK });
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
    // The workflow ended: nothing will open them again, so the vault lets them go.
    expect(await sealedRecords()).toEqual([]);
  });

  it('delivers the form values to the function itself, in clear', async () => {
    const configuration = await session.tools.aws
      .lambda()
      .send(new GetFunctionConfigurationCommand({ FunctionName: app }));
    expect(configuration.Environment?.Variables).toMatchObject({
      PAYMENT_API_KEY: PLANTED.formLiveKey,
      SESSION_PEPPER: PLANTED.formPlainWord,
    });
  });

  it('leaves none of them in the events the session streamed', () => {
    expect(session.events.length).toBeGreaterThan(20);
    expect(leaks(JSON.stringify(session.events))).toEqual([]);
  });

  it('leaves none in any row of any table or collection (checkpoints, transcripts, telemetry, audit, journal, reports)', async () => {
    const dump = await session.dumpStore();
    const names = Object.keys(dump).map((name) => name.replace(/^public\./, ''));
    expect(names).toEqual(
      expect.arrayContaining(['turns', 'events', 'telemetry', 'audit', 'journal', 'credentials']),
    );
    const checkpoints = Object.entries(dump).filter(([name]) => name.includes('checkpoint'));
    expect(checkpoints.length).toBeGreaterThan(0);
    // The scan reads what the checkpointer wrote: the state's sealed references are in there.
    expect(checkpoints.map(([, rows]) => rows).join('')).toContain('$sealed');
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
    expect(requests).toContain(repo);
    expect(requests).toContain(MASK);
  });

  it('would find a value the checkpointer wrote in clear: the scan is not blind', async () => {
    const canary = random(LOWER, 24);
    const graph = new StateGraph(Annotation.Root({ note: Annotation<string> }))
      .addNode('keep', () => ({}))
      .addEdge(START, 'keep')
      .addEdge('keep', END)
      .compile({ checkpointer: session.store.checkpointer });
    await graph.invoke({ note: canary }, { configurable: { thread_id: `canary-${kind}` } });
    const checkpoints = Object.entries(await session.dumpStore())
      .filter(([name]) => name.includes('checkpoint'))
      .map(([, rows]) => rows)
      .join('');
    expect(leaksOf({ canary })(checkpoints)).toEqual(['canary']);
  });
});
