/** OpenAI provider against a local server speaking the Chat Completions API: streaming, tools, usage, fallback. */
import { HumanMessage, ToolMessage } from '@langchain/core/messages';
import { tool } from '@langchain/core/tools';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createChatModel } from '../../src/models/create-chat-model.js';
import type { ModelCallRecord } from '../../src/models/managed-chat-model.js';
import { loadModelSettings } from '../../src/models/model-settings.js';
import { type FakeModelServer, gate, type RecordedRequest, type ScriptedReply } from './fake-model-server.js';
import { startFakeOpenAi } from './fake-openai-server.js';

const API_KEY = 'sk-test-openai-0123456789';

const describeInstance = tool(async () => 'ok', {
  name: 'describe_instance',
  description: 'Describe one EC2 instance.',
  schema: z.object({ instance_id: z.string(), region: z.string() }),
});

let server: FakeModelServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function setup(script: (request: RecordedRequest) => ScriptedReply) {
  server = await startFakeOpenAi(script);
  const settings = loadModelSettings(
    {},
    {
      env: {
        OPENAI_API_KEY: API_KEY,
        OPENAI_BASE_URL: `${server.url}/v1`,
        AWS_COPILOT_MODEL_MAX_RETRIES: '0',
      },
    },
  );
  return { server, settings };
}

describe('openai provider', () => {
  it('answers a plain completion from gpt-4.1-mini, streaming, with the key and the planning temperature', async () => {
    const { server, settings } = await setup(() => ({ text: ['Hello', ' from', ' OpenAI'] }));
    const answer = await createChatModel(settings).invoke('Say hello');
    expect(answer.content).toBe('Hello from OpenAI');
    expect(server.requests).toHaveLength(1);
    const [request] = server.requests;
    expect(request?.body).toMatchObject({ model: 'gpt-4.1-mini', stream: true, temperature: 0.2 });
    expect(request?.body.messages).toEqual([{ role: 'user', content: 'Say hello' }]);
    expect(request?.headers.authorization).toBe(`Bearer ${API_KEY}`);
  });

  it('uses the creative temperature when asked', async () => {
    const { server, settings } = await setup(() => ({ text: ['A summary.'] }));
    await createChatModel(settings, { purpose: 'creative' }).invoke('Summarise');
    expect(server.requests[0]?.body.temperature).toBe(0.5);
  });

  it('delivers token deltas as they arrive, several before the answer ends', async () => {
    const held = gate();
    const { settings } = await setup(() => ({
      text: ['One', ' two', ' three', ' four', ' five'],
      hold: { after: 3, until: held.until },
    }));
    const deltas: string[] = [];
    for await (const chunk of await createChatModel(settings).stream('Count')) {
      if (chunk.text) deltas.push(chunk.text);
      // The server sends the rest only after this: a client that buffered the response would never get here.
      if (deltas.length === 3) held.release();
    }
    expect(await held.until).toBe('released');
    expect(deltas).toEqual(['One', ' two', ' three', ' four', ' five']);
  });

  it('returns a tool call with parsed arguments, then answers from the tool result', async () => {
    const { server, settings } = await setup((request) =>
      request.body.messages.some((message: { role: string }) => message.role === 'tool')
        ? { text: ['The instance is running.'] }
        : {
            toolCall: {
              id: 'call_1',
              name: 'describe_instance',
              args: { instance_id: 'i-0abc', region: 'us-east-1' },
            },
          },
    );
    const model = createChatModel(settings).bindTools([describeInstance]);
    const question = new HumanMessage('Is i-0abc running in us-east-1?');
    const first = await model.invoke([question]);
    expect(first.tool_calls).toEqual([
      expect.objectContaining({
        id: 'call_1',
        name: 'describe_instance',
        args: { instance_id: 'i-0abc', region: 'us-east-1' },
      }),
    ]);
    expect(server.requests[0]?.body.tools[0].function).toMatchObject({
      name: 'describe_instance',
      parameters: { type: 'object', required: ['instance_id', 'region'] },
    });

    const result = new ToolMessage({ tool_call_id: 'call_1', content: '{"state":"running"}' });
    const second = await model.invoke([question, first, result]);
    expect(second.content).toBe('The instance is running.');
    // Tool output reaches the provider fenced as data, never as bare text it could take as instructions.
    expect(server.requests[1]?.body.messages.at(-1)).toEqual({
      role: 'tool',
      tool_call_id: 'call_1',
      content: expect.stringMatching(
        /^<data source="tool:output">[\s\S]*state[\s\S]*running[\s\S]*<\/data>$/,
      ),
    });
  });

  it('answers structured output through a forced tool call', async () => {
    const { server, settings } = await setup((request) => ({
      toolCall: {
        id: 'call_9',
        name: request.body.tools[0].function.name,
        args: { verdict: 'approve', reason: 'ok' },
      },
    }));
    const verdict = z.object({ verdict: z.enum(['approve', 'veto']), reason: z.string() });
    const result = await createChatModel(settings).withStructuredOutput(verdict).invoke('Review the plan');
    expect(result).toEqual({ verdict: 'approve', reason: 'ok' });
    expect(server.requests[0]?.body.tool_choice).toEqual({ type: 'function', function: { name: 'extract' } });
  });

  it('captures the usage the server reports, and logs the prompt hash, never the prompt or the key', async () => {
    const { settings } = await setup(() => ({ text: ['Done.'], usage: { input: 42, output: 5 } }));
    const records: ModelCallRecord[] = [];
    const answer = await createChatModel(settings, { onCall: (record) => records.push(record) }).invoke(
      'secret plan',
    );
    expect(answer.usage_metadata).toMatchObject({ input_tokens: 42, output_tokens: 5, total_tokens: 47 });
    expect(records).toEqual([
      expect.objectContaining({
        model: 'gpt-4.1-mini',
        tier: 'standard',
        inputTokens: 42,
        outputTokens: 5,
        usageSource: 'provider',
      }),
    ]);
    expect(records[0]?.promptHash).toMatch(/^[0-9a-f]{64}$/);
    const logged = JSON.stringify(records);
    expect(logged).not.toContain('secret plan');
    expect(logged).not.toContain(API_KEY);
    // Tracers serialise the model; its key must not come along.
    expect(JSON.stringify(createChatModel(settings))).not.toContain(API_KEY);
  });

  it('falls back to gpt-4o-mini when gpt-4.1-mini fails with a 500', async () => {
    const { server, settings } = await setup((request) =>
      request.body.model === 'gpt-4.1-mini' ? { status: 500 } : { text: ['Answer from the fallback'] },
    );
    const records: ModelCallRecord[] = [];
    const model = createChatModel(settings, { onCall: (record) => records.push(record) });
    const answer = await model.invoke('Hello?');
    expect(answer.content).toBe('Answer from the fallback');
    expect(server.requests.map((request) => request.body.model)).toEqual(['gpt-4.1-mini', 'gpt-4o-mini']);
    expect(records[0]?.model).toBe('gpt-4o-mini');

    const streamed: string[] = [];
    for await (const chunk of await model.stream('Hello again?')) streamed.push(chunk.text);
    expect(streamed.join('')).toBe('Answer from the fallback');
    expect(server.requests.map((request) => request.body.model).slice(2)).toEqual([
      'gpt-4.1-mini',
      'gpt-4o-mini',
    ]);
  });

  it('calls only the cheaper model on the economy tier', async () => {
    const { server, settings } = await setup(() => ({ text: ['Cheap answer'] }));
    const answer = await createChatModel(settings, { tier: 'economy' }).invoke('Hello?');
    expect(answer.content).toBe('Cheap answer');
    expect(server.requests.map((request) => request.body.model)).toEqual(['gpt-4o-mini']);
  });

  it('honours AWS_COPILOT_MODEL and AWS_COPILOT_FALLBACK_MODEL', async () => {
    server = await startFakeOpenAi((request) =>
      request.body.model === 'gpt-4.1' ? { status: 503 } : { text: ['ok'] },
    );
    const settings = loadModelSettings(
      {},
      {
        env: {
          OPENAI_API_KEY: API_KEY,
          OPENAI_BASE_URL: `${server.url}/v1`,
          AWS_COPILOT_MODEL: 'gpt-4.1',
          AWS_COPILOT_FALLBACK_MODEL: 'gpt-4.1-nano',
          AWS_COPILOT_MODEL_MAX_RETRIES: '0',
        },
      },
    );
    await createChatModel(settings).invoke('Hello?');
    expect(server.requests.map((request) => request.body.model)).toEqual(['gpt-4.1', 'gpt-4.1-nano']);
  });
});
