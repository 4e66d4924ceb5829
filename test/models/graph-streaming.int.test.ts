/** The managed model inside a LangGraph node: its tokens reach the graph's message stream once each, in order. */
import type { AIMessageChunk } from '@langchain/core/messages';
import { MessagesAnnotation, StateGraph } from '@langchain/langgraph';
import { afterEach, describe, expect, it } from 'vitest';
import { createChatModel } from '../../src/models/create-chat-model.js';
import { loadModelSettings } from '../../src/models/model-settings.js';
import { TokenBudget } from '../../src/models/token-budget.js';
import type { FakeModelServer } from './fake-model-server.js';
import { startFakeOpenAi } from './fake-openai-server.js';

let server: FakeModelServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('managed model in a graph', () => {
  it('streams each token once through streamMode "messages", fallback included, with the budget charged once', async () => {
    server = await startFakeOpenAi((request) =>
      request.body.model === 'gpt-4.1-mini'
        ? { status: 500 }
        : { text: ['Plan', ' ready', '.'], usage: { input: 30, output: 3 } },
    );
    const settings = loadModelSettings(
      {},
      {
        env: {
          OPENAI_API_KEY: 'sk-test-graph-0000',
          OPENAI_BASE_URL: `${server.url}/v1`,
          AWS_COPILOT_MODEL_MAX_RETRIES: '0',
        },
      },
    );
    const budget = TokenBudget.fromSettings(settings);
    const model = createChatModel(settings, { budget });
    const graph = new StateGraph(MessagesAnnotation)
      .addNode('plan', async (state) => ({ messages: [await model.invoke(state.messages)] }))
      .addEdge('__start__', 'plan')
      .compile();

    const tokens: string[] = [];
    for await (const [message] of await graph.stream(
      { messages: [{ role: 'user', content: 'Plan it' }] },
      { streamMode: 'messages' },
    ))
      tokens.push((message as AIMessageChunk).text);

    expect(tokens.filter(Boolean)).toEqual(['Plan', ' ready', '.']);
    expect(budget.snapshot()).toMatchObject({ input_used: 30, output_used: 3 });
  });
});
