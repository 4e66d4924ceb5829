/** Any OpenAI-compatible server (Ollama, vLLM, llama.cpp) at a custom base URL, with or without a key. */
import { HumanMessage, ToolMessage } from '@langchain/core/messages';
import { tool } from '@langchain/core/tools';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createChatModel } from '../../src/models/create-chat-model.js';
import { loadModelSettings } from '../../src/models/model-settings.js';
import { TokenBudget } from '../../src/models/token-budget.js';
import { type FakeModelServer, gate, type RecordedRequest, type ScriptedReply } from './fake-model-server.js';
import { startFakeOpenAi } from './fake-openai-server.js';

const OPENAI_KEY = 'sk-real-openai-key-must-not-leak';

const readFile = tool(async () => '', {
  name: 'repo_reader',
  description: 'Read a file of the repository.',
  schema: z.object({ path: z.string() }),
});

let server: FakeModelServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function setup(script: (request: RecordedRequest) => ScriptedReply, extra: NodeJS.ProcessEnv = {}) {
  server = await startFakeOpenAi(script);
  const settings = loadModelSettings(
    {},
    {
      env: {
        // A configured OpenAI key must never travel to a third-party server.
        OPENAI_API_KEY: OPENAI_KEY,
        AWS_COPILOT_MODEL_PROVIDER: 'openai-compatible',
        AWS_COPILOT_MODEL_BASE_URL: `${server.url}/v1`,
        AWS_COPILOT_MODEL: 'llama3.1:8b',
        ...extra,
      },
    },
  );
  return { server, settings };
}

describe('openai-compatible provider', () => {
  it('talks to the custom base URL without any key', async () => {
    const { server, settings } = await setup(() => ({ text: ['Hi', ' from', ' llama'] }));
    expect(settings.apiKey).toBeUndefined();
    expect(settings.fallbackModel).toBeUndefined();
    const answer = await createChatModel(settings).invoke('Say hi');
    expect(answer.content).toBe('Hi from llama');
    const [request] = server.requests;
    expect(request?.path).toBe('/v1/chat/completions');
    expect(request?.body).toMatchObject({ model: 'llama3.1:8b', stream: true });
    expect(request?.headers.authorization).toBeUndefined();
    expect(JSON.stringify(request?.headers)).not.toContain(OPENAI_KEY);
  });

  it('sends AWS_COPILOT_MODEL_API_KEY when one is set', async () => {
    const { server, settings } = await setup(() => ({ text: ['ok'] }), {
      AWS_COPILOT_MODEL_API_KEY: 'vllm-token-123456',
    });
    await createChatModel(settings).invoke('Hi');
    expect(server.requests[0]?.headers.authorization).toBe('Bearer vllm-token-123456');
  });

  it('streams deltas incrementally', async () => {
    const held = gate();
    const { settings } = await setup(() => ({
      text: ['a', 'b', 'c', 'd'],
      hold: { after: 3, until: held.until },
    }));
    const deltas: string[] = [];
    for await (const chunk of await createChatModel(settings).stream('Go')) {
      if (chunk.text) deltas.push(chunk.text);
      if (deltas.length === 3) held.release();
    }
    expect(await held.until).toBe('released');
    expect(deltas).toEqual(['a', 'b', 'c', 'd']);
  });

  it('round-trips a tool call and records usage', async () => {
    const { server, settings } = await setup((request) =>
      request.body.messages.some((message: { role: string }) => message.role === 'tool')
        ? { text: ['It is a FastAPI app.'], usage: { input: 80, output: 6 } }
        : {
            toolCall: { id: 'call_7', name: 'repo_reader', args: { path: 'backend/main.py' } },
            usage: { input: 50, output: 12 },
          },
    );
    const budget = TokenBudget.fromSettings(settings);
    const model = createChatModel(settings, { budget }).bindTools([readFile]);
    const question = new HumanMessage('What is in the backend?');
    const first = await model.invoke([question]);
    expect(first.tool_calls?.[0]).toMatchObject({ name: 'repo_reader', args: { path: 'backend/main.py' } });
    const second = await model.invoke([
      question,
      first,
      new ToolMessage({ tool_call_id: 'call_7', content: 'app = FastAPI()' }),
    ]);
    expect(second.content).toBe('It is a FastAPI app.');
    expect(server.requests).toHaveLength(2);
    expect(budget.snapshot()).toMatchObject({ input_used: 130, output_used: 18 });
  });
});
