/**
 * One conformance suite for every store adapter, the way each Hono router runs one shared case
 * file: an adapter is done when all of this passes against a real database.
 */
import { randomUUID } from 'node:crypto';
import { Annotation, END, START, StateGraph } from '@langchain/langgraph';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store, VectorRepository } from '../ports.js';
import { LATEST_SCHEMA_VERSION } from '../sql/migrations.js';

export interface ConformanceOptions {
  /** Opens a store on an empty (or fresh-per-call unique) database. */
  open: () => Promise<Store>;
  /** Schema version the adapter reports (SQL adapters share LATEST_SCHEMA_VERSION). */
  expectedSchemaVersion?: number;
}

const id = () => randomUUID();

export function describeStoreConformance(name: string, options: ConformanceOptions): void {
  describe(`store conformance: ${name}`, () => {
    let store: Store;
    beforeAll(async () => {
      store = await options.open();
    });
    afterAll(async () => {
      await store?.close();
    });

    it('reports its schema version', async () => {
      expect(await store.schemaVersion()).toBe(options.expectedSchemaVersion ?? LATEST_SCHEMA_VERSION);
    });

    it('keeps sessions per user and transcripts in order, returning the last 50 turns', async () => {
      const session = await store.sessions.create({ id: id(), userId: 'ann', title: 'deploy shop' });
      expect(await store.sessions.get('bob', session.id)).toBeUndefined();
      expect((await store.sessions.list('bob')).map((item) => item.id)).not.toContain(session.id);
      for (let turn = 1; turn <= 60; turn += 1) {
        await store.sessions.appendTurn('ann', {
          sessionId: session.id,
          role: turn % 2 ? 'user' : 'assistant',
          content: `turn ${turn}`,
        });
      }
      const recent = await store.sessions.recentTurns('ann', session.id);
      expect(recent).toHaveLength(50);
      expect(recent[0]).toMatchObject({ seq: 11, content: 'turn 11' });
      expect(recent.at(-1)).toMatchObject({ seq: 60, content: 'turn 60' });
      expect(await store.sessions.recentTurns('bob', session.id)).toEqual([]);
      await store.sessions.setWorkflow('ann', session.id, 'deploy');
      expect(await store.sessions.get('ann', session.id)).toMatchObject({
        workflow: 'deploy',
        title: 'deploy shop',
      });
    });

    it('numbers events per session without gaps, even when appended concurrently', async () => {
      const sessionId = id();
      const appended = await Promise.all(
        Array.from({ length: 20 }, (_, index) => store.events.append(sessionId, 'step-start', { index })),
      );
      expect(appended.map((event) => event.seq).sort((a, b) => a - b)).toEqual(
        Array.from({ length: 20 }, (_, index) => index + 1),
      );
      const after = await store.events.listAfter(sessionId, 15);
      expect(after.map((event) => event.seq)).toEqual([16, 17, 18, 19, 20]);
      expect(after[0]?.payload).toMatchObject({ index: expect.any(Number) });
      expect(await store.events.listAfter(id(), 0)).toEqual([]);
    });

    it('numbers each session on its own when many sessions append at once', async () => {
      const sessions = Array.from({ length: 5 }, () => id());
      // Interleaved: session 0 event 0, session 1 event 0, ..., session 0 event 1, ...
      const appended = await Promise.all(
        Array.from({ length: 40 }, (_, index) =>
          store.events.append(sessions[index % 5] as string, 'message-delta', {
            index,
            detail: { nested: [index], text: 'it\'s "quoted"' },
          }),
        ),
      );
      for (const [position, sessionId] of sessions.entries()) {
        const mine = appended.filter((_, index) => index % 5 === position);
        expect(mine.map((event) => event.seq).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
        // Each number stands for the event it was handed out with.
        const stored = await store.events.listAfter(sessionId, 0);
        for (const event of mine)
          expect(stored.find((row) => row.seq === event.seq)?.payload).toEqual(event.payload);
      }
    });

    it('records deployments per user with an ordered journal', async () => {
      const deployment = await store.deployments.create({
        id: id(),
        userId: 'ann',
        sessionId: id(),
        status: 'planning',
        target: 'lambda',
        region: 'us-east-1',
        repoUrlHash: 'abc123',
        plan: { steps: [{ id: 'a' }] },
      });
      expect(deployment).toMatchObject({
        status: 'planning',
        repoUrlHash: 'abc123',
        plan: { steps: [{ id: 'a' }] },
      });
      const updated = await store.deployments.update('ann', deployment.id, {
        status: 'succeeded',
        url: 'https://x.example',
        result: { ok: true },
      });
      expect(updated).toMatchObject({
        status: 'succeeded',
        url: 'https://x.example',
        result: { ok: true },
        plan: { steps: [{ id: 'a' }] },
      });
      expect(await store.deployments.get('bob', deployment.id)).toBeUndefined();
      await expect(store.deployments.update('bob', deployment.id, { status: 'failed' })).rejects.toThrow(
        /not found/,
      );
      expect((await store.deployments.list('ann')).map((item) => item.id)).toContain(deployment.id);
      for (const stepId of ['s1', 's2', 's3']) {
        await store.deployments.appendJournal({
          deploymentId: deployment.id,
          stepId,
          status: 'completed',
          tool: 'create_bucket',
          args: { bucket_name: stepId },
          result: { ok: stepId },
          created: [{ type: 's3:bucket', id: stepId }],
        });
      }
      const journal = await store.deployments.journal(deployment.id);
      expect(journal.map((entry) => entry.stepId)).toEqual(['s1', 's2', 's3']);
      expect(journal[1]).toMatchObject({ created: [{ type: 's3:bucket', id: 's2' }], result: { ok: 's2' } });
    });

    it('records approval decisions per plan hash', async () => {
      const planHash = id();
      await store.approvals.record({
        id: id(),
        userId: 'ann',
        sessionId: 's',
        planHash,
        decision: 'rejected',
        channel: 'ui',
        reason: 'too big',
      });
      await store.approvals.record({
        id: id(),
        userId: 'ann',
        sessionId: 's',
        planHash,
        decision: 'approved',
        channel: 'ui',
      });
      expect((await store.approvals.forPlan(planHash)).map((item) => item.decision)).toEqual([
        'rejected',
        'approved',
      ]);
    });

    it('stores credential envelopes per user, replacing by name', async () => {
      const base = {
        userId: 'ann',
        name: 'default',
        kind: 'access-key' as const,
        keyId: 'local:1',
        masked: { access_key_id: 'AKIA…WXYZ' },
      };
      await store.credentials.put({ ...base, envelope: 'sealed-1' });
      await store.credentials.put({ ...base, envelope: 'sealed-2' });
      expect(await store.credentials.get('ann', 'default')).toMatchObject({
        envelope: 'sealed-2',
        masked: { access_key_id: 'AKIA…WXYZ' },
      });
      expect(await store.credentials.get('bob', 'default')).toBeUndefined();
      expect(await store.credentials.list('ann')).toHaveLength(1);
      expect((await store.credentials.all()).some((item) => item.userId === 'ann')).toBe(true);
      expect(await store.credentials.remove('ann', 'default')).toBe(true);
      expect(await store.credentials.remove('ann', 'default')).toBe(false);
    });

    it('keeps accounts with unique names, and logins until they expire', async () => {
      const name = `ann-${id().slice(0, 8)}`;
      const user = await store.users.create({ id: id(), name, passwordHash: 'scrypt$hash-1' });
      expect(user).toMatchObject({ name, passwordHash: 'scrypt$hash-1' });
      await expect(store.users.create({ id: id(), name })).rejects.toThrow(/taken/);
      const proxied = await store.users.create({ id: id(), name: `${name}-proxy` });
      expect(proxied.passwordHash).toBeUndefined();
      expect(await store.users.findByName(name)).toMatchObject({ id: user.id });
      expect(await store.users.get(user.id)).toMatchObject({ name });
      expect((await store.users.list()).map((item) => item.name)).toEqual(
        expect.arrayContaining([name, `${name}-proxy`]),
      );
      expect(await store.users.setPassword(user.id, 'scrypt$hash-2')).toBe(true);
      expect(await store.users.setPassword(id(), 'scrypt$hash-3')).toBe(false);
      expect((await store.users.get(user.id))?.passwordHash).toBe('scrypt$hash-2');

      const live = id();
      const expired = id();
      await store.users.createLogin({
        tokenHash: expired,
        userId: user.id,
        expiresAt: new Date(Date.now() - 1000).toISOString(),
      });
      await store.users.createLogin({
        tokenHash: live,
        userId: user.id,
        expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
      });
      expect(await store.users.getLogin(live)).toMatchObject({ userId: user.id });
      expect(await store.users.getLogin(expired)).toBeUndefined();
      await store.users.removeLogin(live);
      expect(await store.users.getLogin(live)).toBeUndefined();

      const again = id();
      await store.users.createLogin({
        tokenHash: again,
        userId: user.id,
        expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
      });
      expect(await store.users.remove(user.id)).toBe(true);
      expect(await store.users.remove(user.id)).toBe(false);
      expect(await store.users.getLogin(again)).toBeUndefined();
      expect(await store.users.findByName(name)).toBeUndefined();
    });

    it('keeps telemetry, audit, compliance decisions and reports', async () => {
      const sessionId = id();
      const correlationId = id();
      const at = new Date().toISOString();
      await store.telemetry.append({
        id: id(),
        sessionId,
        correlationId,
        agent: 'executor',
        phase: 'execute',
        status: 'ok',
        latencyMs: 12,
        errorCode: null,
        at,
      });
      expect(await store.telemetry.list({ sessionId })).toEqual([
        expect.objectContaining({ agent: 'executor', latencyMs: 12, correlationId }),
      ]);
      await store.audit.write({
        id: id(),
        at,
        userId: 'ann',
        tool: 'create_bucket',
        mode: 'run',
        risk: 'write',
        correlationId,
        args: {},
        resourceIds: ['b'],
        awsCalls: [],
        durationMs: 3,
        outcome: 'ok',
      });
      expect(await store.audit.list({ correlationId })).toEqual([
        expect.objectContaining({ tool: 'create_bucket', resourceIds: ['b'] }),
      ]);
      const planId = id();
      await store.compliance.record({
        id: id(),
        sessionId,
        planId,
        agent: 'compliance-officer',
        decision: 'veto',
        reasonCode: 'IAM_CHANGE',
        reason: 'plan changes IAM',
        at,
      });
      expect(await store.compliance.forPlan(planId)).toEqual([
        expect.objectContaining({ decision: 'veto', reasonCode: 'IAM_CHANGE' }),
      ]);
      const reportId = id();
      await store.reports.save({
        id: reportId,
        userId: 'ann',
        sessionId,
        name: 'triage_report.md',
        markdown: '# Triage',
        at,
      });
      expect(await store.reports.get('ann', reportId)).toMatchObject({
        name: 'triage_report.md',
        markdown: '# Triage',
      });
      expect(await store.reports.get('bob', reportId)).toBeUndefined();
      expect(await store.reports.listForSession('ann', sessionId)).toHaveLength(1);
    });

    it('finds the nearest vectors, filtered by tags', () => checkVectorConformance(store.vectors));

    it('checkpoints LangGraph runs so a thread resumes where it was', async () => {
      const State = Annotation.Root({
        count: Annotation<number>({ reducer: (_, next) => next, default: () => 0 }),
      });
      const graph = new StateGraph(State)
        .addNode('bump', (state) => ({ count: state.count + 1 }))
        .addEdge(START, 'bump')
        .addEdge('bump', END)
        .compile({ checkpointer: store.checkpointer });
      const config = { configurable: { thread_id: id() } };
      await graph.invoke({ count: 1 }, config);
      const state = await graph.getState(config);
      expect(state.values).toEqual({ count: 2 });
      const tuple = await store.checkpointer.getTuple(config);
      expect(tuple?.checkpoint.id).toBeTruthy();
    });

    it('purges request logs, finished deployments and sealed form values older than the cutoff, and nothing newer', async () => {
      const sessionId = id();
      await store.telemetry.append({
        id: id(),
        sessionId,
        agent: 'a',
        phase: 'p',
        status: 'ok',
        at: new Date(Date.now() - 100 * 86_400_000).toISOString(),
      });
      await store.telemetry.append({
        id: id(),
        sessionId,
        agent: 'a',
        phase: 'p',
        status: 'ok',
        at: new Date().toISOString(),
      });
      const kept = await store.deployments.create({
        id: id(),
        userId: 'ann',
        sessionId,
        status: 'succeeded',
        target: 's3',
        region: 'us-east-1',
      });
      const owner = `purge-${id()}`;
      const record = { userId: owner, envelope: 'e', keyId: 'k', masked: {} };
      await store.credentials.put({ ...record, name: 'default', kind: 'access-key' });
      await store.credentials.put({ ...record, name: `sealed:${id()}`, kind: 'sealed-value' });
      const removed = await store.purge(new Date(Date.now() - 90 * 86_400_000));
      expect(removed.telemetry).toBeGreaterThanOrEqual(1);
      expect(await store.telemetry.list({ sessionId })).toHaveLength(1);
      expect(await store.deployments.get('ann', kept.id)).toBeDefined();
      expect(await store.credentials.list(owner)).toHaveLength(2);
      const later = await store.purge(new Date(Date.now() + 60_000));
      expect(await store.deployments.get('ann', kept.id)).toBeUndefined();
      expect(await store.telemetry.list({ sessionId })).toHaveLength(0);
      // Sealed form values expire with the history they belong to; AWS credentials never do.
      expect(later.sealedValues).toBeGreaterThanOrEqual(1);
      expect((await store.credentials.list(owner)).map((item) => item.kind)).toEqual(['access-key']);
    });
  });
}

/** The vector case on its own, for vector repositories that live outside a store (Qdrant). */
export async function checkVectorConformance(vectors: VectorRepository): Promise<void> {
  const dims = vectors.dimensions;
  const unit = (index: number) => Array.from({ length: dims }, (_, position) => (position === index ? 1 : 0));
  const tag = `t${id().slice(0, 8)}`;
  const at = new Date().toISOString();
  await vectors.upsert({
    id: `${tag}-a`,
    text: 'fastapi on lambda',
    tags: [tag, 'fastapi'],
    embedding: unit(0),
    at,
  });
  await vectors.upsert({
    id: `${tag}-b`,
    text: 'vite static site',
    tags: [tag, 'vite'],
    embedding: unit(1),
    at,
  });
  const near = await vectors.query(unit(0), { tags: [tag], topK: 2 });
  expect(near.map((match) => match.id)).toEqual([`${tag}-a`, `${tag}-b`]);
  expect(near[0]?.score).toBeCloseTo(1, 5);
  expect((await vectors.query(unit(0), { tags: [tag, 'vite'] })).map((match) => match.id)).toEqual([
    `${tag}-b`,
  ]);
  await expect(vectors.upsert({ id: 'bad', text: 'x', tags: [], embedding: [1], at })).rejects.toThrow(
    /finite numbers/,
  );
}
