/** Bedrock provider against a local server speaking ConverseStream in the AWS binary event-stream encoding. */
import { HumanMessage, ToolMessage } from '@langchain/core/messages';
import { tool } from '@langchain/core/tools';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createChatModel } from '../../src/models/create-chat-model.js';
import { loadModelSettings } from '../../src/models/model-settings.js';
import { TokenBudget } from '../../src/models/token-budget.js';
import { bedrockModelOf, startFakeBedrock } from './fake-bedrock-server.js';
import { type FakeModelServer, gate, type RecordedRequest, type ScriptedReply } from './fake-model-server.js';

/** A static test identity: the request is signed with it, and the server sees which key signed. */
const credentials = { accessKeyId: 'AKIDBEDROCKTEST', secretAccessKey: 'bedrock-test-secret' };
const SONNET = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';
const HAIKU = 'us.anthropic.claude-haiku-4-5-20251001-v1:0';

const getLogEvents = tool(async () => '[]', {
  name: 'get_log_events',
  description: 'Read recent events of a CloudWatch log group.',
  schema: z.object({ log_group: z.string(), limit: z.number().int() }),
});

let server: FakeModelServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function setup(script: (request: RecordedRequest) => ScriptedReply) {
  server = await startFakeBedrock(script);
  const settings = loadModelSettings(
    { provider: 'bedrock' },
    {
      env: {
        AWS_COPILOT_BEDROCK_ENDPOINT: server.url,
        AWS_REGION: 'us-west-2',
        AWS_COPILOT_MODEL_MAX_RETRIES: '0',
      },
    },
  );
  return { server, settings };
}

describe('bedrock provider', () => {
  it('answers a plain completion through ConverseStream, signed with the given credentials', async () => {
    const { server, settings } = await setup(() => ({ text: ['Hello', ' from', ' Bedrock'] }));
    expect(settings.model).toBe(SONNET);
    const answer = await createChatModel(settings, { credentials }).invoke('Say hello');
    expect(answer.text).toBe('Hello from Bedrock');
    const [request] = server.requests;
    expect(request?.path).toMatch(/\/converse-stream$/);
    expect(request && bedrockModelOf(request)).toBe(SONNET);
    expect(request?.body).toMatchObject({
      messages: [{ role: 'user', content: [{ text: 'Say hello' }] }],
      inferenceConfig: { temperature: 0.2, maxTokens: 4096 },
    });
    expect(request?.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDBEDROCKTEST\/\d{8}\/us-west-2\/bedrock\/aws4_request/,
    );
  });

  it('delivers text deltas as event-stream frames arrive, several before the message ends', async () => {
    const held = gate();
    const { settings } = await setup(() => ({
      text: ['Un', ' deux', ' trois', ' quatre'],
      hold: { after: 3, until: held.until },
    }));
    const deltas: string[] = [];
    for await (const chunk of await createChatModel(settings, { credentials }).stream('Count')) {
      if (chunk.text) deltas.push(chunk.text);
      if (deltas.length === 3) held.release();
    }
    expect(await held.until).toBe('released');
    expect(deltas).toEqual(['Un', ' deux', ' trois', ' quatre']);
  });

  it('returns a toolUse block as a tool call with parsed arguments, and sends the toolResult back', async () => {
    const { server, settings } = await setup((request) =>
      JSON.stringify(request.body.messages).includes('toolResult')
        ? { text: ['No errors in the last hour.'] }
        : {
            toolCall: { id: 'tooluse_1', name: 'get_log_events', args: { log_group: '/ecs/api', limit: 50 } },
          },
    );
    const model = createChatModel(settings, { credentials }).bindTools([getLogEvents]);
    const question = new HumanMessage('Any errors in /ecs/api?');
    const first = await model.invoke([question]);
    expect(first.tool_calls).toEqual([
      expect.objectContaining({
        id: 'tooluse_1',
        name: 'get_log_events',
        args: { log_group: '/ecs/api', limit: 50 },
      }),
    ]);
    expect(server.requests[0]?.body.toolConfig.tools[0].toolSpec).toMatchObject({ name: 'get_log_events' });

    const result = new ToolMessage({ tool_call_id: 'tooluse_1', content: '[]' });
    const second = await model.invoke([question, first, result]);
    expect(second.text).toBe('No errors in the last hour.');
    const last = server.requests[1]?.body.messages.at(-1);
    expect(last.role).toBe('user');
    expect(last.content).toEqual([
      expect.objectContaining({ toolResult: expect.objectContaining({ toolUseId: 'tooluse_1' }) }),
    ]);
  });

  it('captures usage from the metadata event into the budget', async () => {
    const { settings } = await setup(() => ({ text: ['ok'], usage: { input: 64, output: 8 } }));
    const budget = TokenBudget.fromSettings(settings);
    const answer = await createChatModel(settings, { credentials, budget }).invoke('Usage?');
    expect(answer.usage_metadata).toMatchObject({ input_tokens: 64, output_tokens: 8 });
    expect(budget.snapshot()).toMatchObject({ input_used: 64, output_used: 8 });
  });

  it('falls back to the cheaper model when the main one fails', async () => {
    const { server, settings } = await setup((request) =>
      bedrockModelOf(request) === SONNET ? { status: 500 } : { text: ['From Haiku'] },
    );
    const answer = await createChatModel(settings, { credentials }).invoke('Hello?');
    expect(answer.text).toBe('From Haiku');
    expect(server.requests.map(bedrockModelOf)).toEqual([SONNET, HAIKU]);
  });
});
