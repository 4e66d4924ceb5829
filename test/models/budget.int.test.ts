/** The session token budget enforced in code around real HTTP calls: refusals happen before any request is sent. */
import { ChatOpenAI } from '@langchain/openai';
import { afterEach, describe, expect, it } from 'vitest';
import { isCopilotError } from '../../src/errors/copilot-error.js';
import { budgetedModel } from '../../src/models/budgeted-model.js';
import { createChatModel } from '../../src/models/create-chat-model.js';
import { loadModelSettings } from '../../src/models/model-settings.js';
import { TokenBudget } from '../../src/models/token-budget.js';
import type { FakeModelServer, RecordedRequest, ScriptedReply } from './fake-model-server.js';
import { startFakeOpenAi } from './fake-openai-server.js';

let server: FakeModelServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function setup(script: (request: RecordedRequest) => ScriptedReply, env: NodeJS.ProcessEnv = {}) {
  server = await startFakeOpenAi(script);
  const settings = loadModelSettings(
    {},
    { env: { OPENAI_API_KEY: 'sk-test-budget-0000', OPENAI_BASE_URL: `${server.url}/v1`, ...env } },
  );
  return { server, settings };
}

async function refusal(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!isCopilotError(error)) throw new Error(`expected a CopilotError, got ${String(error)}`);
  return error;
}

describe('token budget around model calls', () => {
  it('refuses a prompt larger than the input budget before any request reaches the server', async () => {
    const { server, settings } = await setup(() => ({ text: ['never'] }));
    const budget = new TokenBudget({ inputLimit: 100, outputLimit: 100 });
    const model = createChatModel(settings, { budget });
    const prompt = 'deploy the shop '.repeat(60);

    const invoked = await refusal(model.invoke(prompt));
    expect(invoked).toMatchObject({ code: 'budget_exceeded' });
    expect(invoked.message).toMatch(
      /needs about \d+ input tokens but this session has 100 of 100 left \(0 used\)/,
    );
    expect(invoked.message).toContain('AWS_COPILOT_INPUT_TOKEN_BUDGET');

    const streamed = await refusal(
      (async () => {
        for await (const _ of await model.stream(prompt));
      })(),
    );
    expect(streamed).toMatchObject({ code: 'budget_exceeded' });
    expect(server.requests).toHaveLength(0);
    expect(budget.snapshot()).toMatchObject({ input_used: 0, output_used: 0, input_reserved: 0 });
  });

  it('refuses the next call once earlier calls used the budget up', async () => {
    const { server, settings } = await setup(() => ({ text: ['ok'], usage: { input: 95, output: 3 } }));
    const budget = new TokenBudget({ inputLimit: 100, outputLimit: 100 });
    const model = createChatModel(settings, { budget, tier: 'standard' });
    await model.invoke('first');
    expect(await refusal(model.invoke('second'))).toMatchObject({ code: 'budget_exceeded' });
    expect(server.requests).toHaveLength(1);
  });

  it('refuses every call once the output budget is spent', async () => {
    const { server, settings } = await setup(() => ({
      text: ['long answer'],
      usage: { input: 10, output: 50 },
    }));
    const budget = new TokenBudget({ inputLimit: 10_000, outputLimit: 50 });
    const model = createChatModel(settings, { budget, tier: 'standard' });
    await model.invoke('first');
    const error = await refusal(model.invoke('second'));
    expect(error.message).toContain('AWS_COPILOT_OUTPUT_TOKEN_BUDGET');
    expect(server.requests).toHaveLength(1);
  });

  it('switches to the economy model once the budget is tight', async () => {
    const { server, settings } = await setup(() => ({ text: ['ok'], usage: { input: 850, output: 10 } }));
    const budget = new TokenBudget({ inputLimit: 1000, outputLimit: 1000 });
    const model = createChatModel(settings, { budget });
    await model.invoke('plan the deploy');
    expect(budget.isTight()).toBe(true);
    await model.invoke('and now?');
    expect(server.requests.map((request) => request.body.model)).toEqual(['gpt-4.1-mini', 'gpt-4o-mini']);
  });

  it('reports totals per session and per deployment', async () => {
    const { settings } = await setup(() => ({ text: ['ok'], usage: { input: 20, output: 4 } }));
    const budget = TokenBudget.fromSettings(settings);
    const model = createChatModel(settings, { budget });
    budget.setDeployment('dep-1');
    await model.invoke('one');
    await model.invoke('two');
    budget.setDeployment('dep-2');
    await model.invoke('three');
    budget.setDeployment(undefined);
    await model.invoke('chat');
    expect(budget.snapshot()).toEqual({
      input_used: 80,
      output_used: 16,
      input_limit: 80_000,
      output_limit: 40_000,
      input_reserved: 0,
      deployments: {
        'dep-1': { input_used: 40, output_used: 8 },
        'dep-2': { input_used: 20, output_used: 4 },
      },
    });
  });

  it('puts any chat model behind a budget, tools bound or not', async () => {
    const { server } = await setup(() => ({ text: ['ok'] }));
    const raw = new ChatOpenAI({
      model: 'gpt-4.1-mini',
      apiKey: 'sk-test-budget-0000',
      streaming: true,
      configuration: { baseURL: `${server.url}/v1` },
    });
    const budget = new TokenBudget({ inputLimit: 50, outputLimit: 50 });
    const model = budgetedModel(raw, budget);
    const tools = [
      { name: 'noop', description: 'Does nothing.', schema: { type: 'object', properties: {} } },
    ];
    expect(await refusal(model.bindTools(tools).invoke('x '.repeat(100)))).toMatchObject({
      code: 'budget_exceeded',
    });
    expect(server.requests).toHaveLength(0);
    await model.invoke('hi');
    expect(server.requests).toHaveLength(1);
    expect(budget.snapshot().input_used).toBeGreaterThan(0);
  });

  it('rejects a configured budget above the hard ceiling, naming the variable', () => {
    expect(() =>
      loadModelSettings({}, { env: { OPENAI_API_KEY: 'sk-x', AWS_COPILOT_INPUT_TOKEN_BUDGET: '150000' } }),
    ).toThrow(
      /setting 'inputTokenBudget' \(from environment variable AWS_COPILOT_INPUT_TOKEN_BUDGET\): above the hard ceiling of 120000/,
    );
    expect(() =>
      loadModelSettings({}, { env: { OPENAI_API_KEY: 'sk-x', AWS_COPILOT_OUTPUT_TOKEN_BUDGET: '60001' } }),
    ).toThrow(/AWS_COPILOT_OUTPUT_TOKEN_BUDGET\): above the hard ceiling of 60000/);
  });
});
