/**
 * Restoring a workflow's state costs one checkpoint read however long the thread is: fields the
 * workflows clear (written undefined) must not send LangGraph back through every earlier checkpoint.
 */
import { END, START, StateGraph } from '@langchain/langgraph';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeployState, type DeployStateType } from '../../src/agents/deploy/state.js';
import { EcsState } from '../../src/agents/ecs/state.js';
import { openPGliteStore } from '../../src/store/pglite/open-pglite-store.js';
import type { Store } from '../../src/store/ports.js';

const STEPS = 12;

describe('workflow state restore', () => {
  let store: Store;
  let reads = 0;
  beforeAll(async () => {
    store = await openPGliteStore({ directory: 'memory://', vectorDimensions: 8 });
    const saver = store.checkpointer;
    const getTuple = saver.getTuple.bind(saver);
    saver.getTuple = (config) => {
      reads += 1;
      return getTuple(config);
    };
  });
  afterAll(() => store.close());

  it('reads one checkpoint for the deploy state after many steps that clear fields', async () => {
    // Each round clears `problem` and `previews` the way the plan and preflight nodes do.
    const graph = new StateGraph(DeployState)
      .addNode('round', (state: DeployStateType) => ({
        attempts: state.attempts + 1,
        problem: undefined,
        previews: undefined,
        account: state.attempts === 0 ? '123456789012' : state.account,
      }))
      .addEdge(START, 'round')
      .addConditionalEdges('round', (state) => (state.attempts < STEPS ? 'round' : END))
      .compile({ checkpointer: store.checkpointer });
    const config = { configurable: { thread_id: 'deploy-restore' } };
    await graph.invoke({ request: { region: 'us-east-1' } }, config);

    reads = 0;
    const snapshot = await graph.getState(config);
    expect(snapshot.values).toMatchObject({ attempts: STEPS, account: '123456789012' });
    expect(snapshot.values.problem).toBeUndefined();
    expect(reads).toBe(1);
  });

  it('reads one checkpoint for the ECS state too', async () => {
    const fields = Object.keys(EcsState.spec).filter(
      (name) => !['messages', 'given', 'timeline'].includes(name),
    );
    const cleared = Object.fromEntries(fields.map((name) => [name, undefined]));
    let rounds = 0;
    const graph = new StateGraph(EcsState)
      .addNode('round', () => {
        rounds += 1;
        return cleared;
      })
      .addEdge(START, 'round')
      .addConditionalEdges('round', () => (rounds < STEPS ? 'round' : END))
      .compile({ checkpointer: store.checkpointer });
    const config = { configurable: { thread_id: 'ecs-restore' } };
    await graph.invoke({ given: {} }, config);

    reads = 0;
    await graph.getState(config);
    expect(reads).toBe(1);
  });
});
