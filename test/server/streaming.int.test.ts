/**
 * Token deltas reach the browser while the model is still answering: the fake OpenAI server holds
 * the rest of its answer until the client has received the first delta over /ws/agent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentClient, bearer, type ServerHarness, startServerHarness } from '../helpers/server-harness.js';
import { type FakeModelServer, gate } from '../models/fake-model-server.js';
import { startFakeOpenAi } from '../models/fake-openai-server.js';

describe('streaming over /ws/agent', () => {
  const held = gate(30_000);
  let model: FakeModelServer;
  let harness: ServerHarness;
  const saved = { key: process.env.OPENAI_API_KEY, url: process.env.OPENAI_BASE_URL };
  beforeAll(async () => {
    model = await startFakeOpenAi((request) =>
      request.body.tools
        ? { toolCall: { id: 'call-1', name: 'route', args: { workflow: 'chat' } } }
        : { text: ['Hello', ' from', ' a streaming model.'], hold: { after: 1, until: held.until } },
    );
    // The product reads its model settings from the environment, as `serve` would.
    process.env.OPENAI_API_KEY = 'sk-test-streaming-0000';
    process.env.OPENAI_BASE_URL = `${model.url}/v1`;
    harness = await startServerHarness();
  });
  afterAll(async () => {
    await harness.close();
    await model.close();
    for (const [name, value] of [
      ['OPENAI_API_KEY', saved.key],
      ['OPENAI_BASE_URL', saved.url],
    ] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it('sends each token delta as the model produces it, before the answer is finished', async () => {
    const client = await AgentClient.open(harness.wsUrl, { headers: bearer() });
    client.send({ type: 'user-message', text: 'say hello' });
    const first = await client.nextOf('message-delta');
    expect(first).toMatchObject({ text: 'Hello' });
    // The model has not sent the rest yet: nothing more than the first delta can have arrived.
    expect(client.events().some((event) => event.type === 'message-end')).toBe(false);
    held.release();
    const end = await client.nextOf('message-end');
    expect(end).toMatchObject({ text: 'Hello from a streaming model.' });
    const deltas = client.events().filter((event) => event.type === 'message-delta');
    expect(deltas.map((event) => (event as { text: string }).text)).toEqual([
      'Hello',
      ' from',
      ' a streaming model.',
    ]);
    await client.nextOf('turn-end');
    await client.close();
  });
});
