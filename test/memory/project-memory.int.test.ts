/**
 * Vector memory in the deploy workflow: the Context Curator recalls notes about similar projects and stores the
 * project's summary; the close node stores why a rolled-back deployment failed. Real runner, real PGlite store.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contextSyncNode } from '../../src/agents/deploy/nodes/context-sync.js';
import { closeNode } from '../../src/agents/deploy/nodes/validate-close.js';
import { memoryOf } from '../../src/agents/deploy/project-memory.js';
import type { DeployStateType, ProjectContext } from '../../src/agents/deploy/state.js';
import type { SessionContext } from '../../src/agents/runtime.js';
import type { VectorMemory } from '../../src/memory/vector-memory.js';
import { countTextTokens } from '../../src/models/token-counter.js';
import type { AgentEvent } from '../../src/protocol/events.js';
import { openPGliteStore } from '../../src/store/pglite/open-pglite-store.js';
import type { Store } from '../../src/store/ports.js';
import { makeShopRepo } from '../github/repo-fixtures.js';
import { type AgentHarness, createAgentHarness } from '../helpers/agent-harness.js';

const LAMBDA_NOTE =
  'Deploying a fastapi + vite app to lambda failed and was rolled back: the handler main.handler was missing, add Mangum(app) as handler in backend/app/main.py.';
const DJANGO_NOTE =
  'Deploying a django app to ec2 failed and was rolled back: collectstatic needs STATIC_ROOT set in settings.py.';

describe('vector memory in the deploy workflow', () => {
  let store: Store;
  let harness: AgentHarness;
  let memory: VectorMemory;
  const events: AgentEvent[] = [];
  const session: SessionContext = {
    sessionId: randomUUID(),
    userId: 'ann',
    emit: async (event) => {
      events.push(event);
    },
  };
  const config = () => ({ configurable: { runtime: harness.runtime, session } });
  const state = (fields: Partial<DeployStateType>) =>
    ({ messages: [], request: {}, attempts: 0, ...fields }) as DeployStateType;

  beforeAll(async () => {
    store = await openPGliteStore({ directory: 'memory://', vectorDimensions: 256 });
    harness = await createAgentHarness({ store });
    memory = memoryOf(harness.runtime) as VectorMemory;
    makeShopRepo(harness.tools, 'shop-a');
    makeShopRepo(harness.tools, 'shop-b');
    await memory.remember({
      kind: 'troubleshooting',
      text: LAMBDA_NOTE,
      tags: ['fastapi', 'vite', 'lambda'],
    });
    await memory.remember({ kind: 'troubleshooting', text: DJANGO_NOTE, tags: ['django', 'ec2'] });
  });
  afterAll(async () => {
    await harness.close();
    await store.close();
  });

  async function curate(project: string, userId = session.userId): Promise<ProjectContext> {
    const update = await contextSyncNode(
      state({
        projectDir: project,
        request: { repo: `./${project}`, target: 'lambda', region: 'us-east-1' },
      }),
      { configurable: { runtime: harness.runtime, session: { ...session, userId } } },
    );
    return update.context as ProjectContext;
  }

  it('adds related troubleshooting notes and past summaries to the context, and stores the summary', async () => {
    const first = await curate('shop-a');
    expect(first.stack).toEqual(expect.arrayContaining(['fastapi', 'vite']));
    expect(first.summary).toMatch(/^The project in shop-a is /);
    expect(first.summary).toContain('Notes from earlier work on similar projects');
    expect(first.summary).toContain(LAMBDA_NOTE);
    expect(first.summary).not.toContain('django');

    const summaries = await memory.recall('project shop-a fastapi vite', { kind: 'summary' });
    expect(summaries.map((note) => note.text)).toEqual([expect.stringMatching(/^The project in shop-a is /)]);
    expect(summaries[0]?.tags).toEqual(expect.arrayContaining(['aws', 'fastapi', 'vite']));
    // The stored summary is the project's own, without the notes recalled into the context.
    expect(summaries[0]?.text).not.toContain('Notes from earlier work');

    const second = await curate('shop-b');
    expect(second.summary).toMatch(/^The project in shop-b is /);
    expect(second.summary).toMatch(/\(summary, [^)]*fastapi[^)]*\) The project in shop-a is /);
    expect(second.summary).not.toMatch(/owner-/);
    // Summaries are the person's own; troubleshooting notes are everyone's.
    const bobs = await curate('shop-b', 'bob');
    expect(bobs.summary).not.toContain('The project in shop-a');
    expect(bobs.summary).toContain(LAMBDA_NOTE);
    // Reading shop-a again replaces its summary instead of adding another, and does not recall itself.
    const again = await curate('shop-a');
    expect(again.summary).not.toMatch(/\(summary[^)]*\) The project in shop-a/);
    expect(await memory.recall('The project in shop-a', { kind: 'summary', topK: 10 })).toHaveLength(3);
  });

  it('keeps the context summary under 2k tokens however many notes match', async () => {
    for (let index = 0; index < 12; index += 1)
      await memory.remember({
        kind: 'troubleshooting',
        text: `Deploying a fastapi + vite app to lambda failed (case ${index}): ${'the function timed out while the vite build ran in the handler package '.repeat(30)}`,
        tags: ['fastapi', 'vite', 'lambda'],
      });
    const context = await curate('shop-a');
    expect(countTextTokens(context.summary)).toBeLessThanOrEqual(2000);
    expect(context.summary).toContain('Notes from earlier work on similar projects');
  });

  it('stores why a rolled-back deployment failed, tagged with the stack, and never a secret in it', async () => {
    const deploymentId = randomUUID();
    await store.deployments.create({
      id: deploymentId,
      userId: 'ann',
      sessionId: session.sessionId,
      status: 'running',
      target: 'ec2',
      region: 'us-east-1',
    });
    const secret = 'AKIAPLANTEDSECRET123';
    const problem = `Step instance failed: InsufficientInstanceCapacity (credentials ${secret} were used), so everything it created was rolled back.`;
    await closeNode(
      state({
        request: { repo: './shop-a', target: 'ec2', region: 'us-east-1' },
        context: {
          summary: 'x',
          criticalFiles: [],
          stack: ['aws', 'fastapi', 'python', 'vite'],
          hasBackend: true,
          hasFrontend: true,
          requiredEnv: [],
        },
        deploymentId,
        execution: { status: 'failed', outcomes: [] } as unknown as DeployStateType['execution'],
        outcome: 'failed',
        attempts: 1,
        problem,
      }),
      config(),
    );
    expect((await store.deployments.get('ann', deploymentId))?.status).toBe('rolled-back');
    const [note] = await memory.recall('fastapi app on ec2 failed InsufficientInstanceCapacity', {
      kind: 'troubleshooting',
      tags: ['ec2'],
    });
    expect(note?.text).toMatch(
      /^Deploying a fastapi \+ vite app to ec2 in us-east-1 failed and was rolled back\. Step instance failed: InsufficientInstanceCapacity/,
    );
    expect(note?.tags).toEqual(['aws', 'ec2', 'fastapi', 'python', 'vite']);
    expect(note?.text).not.toContain(secret);
    const everyVector = await store.vectors.query(new Array(256).fill(1 / 16), { topK: 100 });
    expect(JSON.stringify(everyVector)).not.toContain(secret);

    // A deployment that never ran leaves no note.
    const before = (await memory.recall('rejected plan', { kind: 'troubleshooting', topK: 100 })).length;
    await closeNode(
      state({ request: { target: 'lambda', region: 'us-east-1' }, outcome: 'rejected', problem: 'rejected' }),
      config(),
    );
    expect((await memory.recall('rejected plan', { kind: 'troubleshooting', topK: 100 })).length).toBe(
      before,
    );
  });
});
