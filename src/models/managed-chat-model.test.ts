import type { BindToolsInput } from '@langchain/core/language_models/chat_models';
import { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { AIMessage, type BaseMessage, HumanMessage } from '@langchain/core/messages';
import type { ChatResult } from '@langchain/core/outputs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { budgetedModel } from './budgeted-model.js';
import { createChatModel } from './create-chat-model.js';
import { ManagedChatModel, type ModelCallRecord } from './managed-chat-model.js';
import { loadModelSettings } from './model-settings.js';
import { TokenBudget } from './token-budget.js';
import { countMessageTokens, countTextTokens, toToolSchema } from './token-counter.js';

/** A chat model that records what it was asked and answers from a script, without usage: the counter must count. */
class RecordingChatModel extends BaseChatModel {
  readonly calls: { messages: BaseMessage[]; tools: unknown }[] = [];

  constructor(
    readonly model: string,
    private readonly answer: string | Error,
  ) {
    super({});
  }

  _llmType(): string {
    return 'recording';
  }

  override bindTools(tools: BindToolsInput[]) {
    return this.withConfig({ tools } as Partial<this['ParsedCallOptions']>);
  }

  async _generate(messages: BaseMessage[], options: this['ParsedCallOptions']): Promise<ChatResult> {
    this.calls.push({ messages, tools: (options as { tools?: unknown }).tools });
    if (this.answer instanceof Error) throw this.answer;
    const message = new AIMessage({ content: this.answer, response_metadata: { model_name: this.model } });
    return { generations: [{ text: this.answer, message }] };
  }
}

function managed(fields: {
  standard?: RecordingChatModel;
  economy?: RecordingChatModel;
  budget?: TokenBudget;
}) {
  const records: ModelCallRecord[] = [];
  const standard = fields.standard ?? new RecordingChatModel('big', 'from big');
  const model = new ManagedChatModel({
    standard,
    ...(fields.economy ? { economy: fields.economy } : {}),
    ...(fields.budget ? { budget: fields.budget } : {}),
    onCall: (record) => records.push(record),
  });
  return { model, records, standard };
}

describe('ManagedChatModel', () => {
  it('counts input with o200k when the answer carries no usage, tool schemas included', async () => {
    const budget = new TokenBudget({ inputLimit: 10_000, outputLimit: 10_000 });
    const { model, records, standard } = managed({ budget });
    const tool = {
      name: 'list_buckets',
      description: 'List S3 buckets.',
      schema: z.object({ prefix: z.string() }),
    };
    const answer = await model.bindTools([tool]).invoke('Which buckets?');

    expect(answer.text).toBe('from big');
    expect(standard.calls[0]?.tools).toEqual([tool]);
    const expected = countMessageTokens([new HumanMessage('Which buckets?')], [toToolSchema(tool)]);
    expect(records).toEqual([
      expect.objectContaining({
        model: 'big',
        tier: 'standard',
        inputTokens: expected,
        outputTokens: countTextTokens('from big'),
        usageSource: 'counted',
      }),
    ]);
    expect(budget.snapshot()).toMatchObject({
      input_used: expected,
      output_used: countTextTokens('from big'),
    });
  });

  it('tries the economy model when the standard one fails, and charges only the answer', async () => {
    const budget = new TokenBudget({ inputLimit: 10_000, outputLimit: 10_000 });
    const standard = new RecordingChatModel('big', new Error('500 from provider'));
    const economy = new RecordingChatModel('small', 'from small');
    const { model, records } = managed({ standard, economy, budget });
    expect((await model.invoke('hi')).text).toBe('from small');
    expect([standard.calls.length, economy.calls.length]).toEqual([1, 1]);
    expect(records.map((record) => record.model)).toEqual(['small']);
    expect(budget.snapshot().input_used).toBe(countMessageTokens([new HumanMessage('hi')]));
  });

  it('gives the reservation back when every model fails', async () => {
    const budget = new TokenBudget({ inputLimit: 10_000, outputLimit: 10_000 });
    const { model } = managed({ standard: new RecordingChatModel('big', new Error('down')), budget });
    await expect(model.invoke('hi')).rejects.toThrow('down');
    expect(budget.snapshot()).toMatchObject({ input_used: 0, input_reserved: 0 });
  });

  it('uses only the economy model when the budget is tight (auto) or when pinned, never when pinned standard', async () => {
    const budget = new TokenBudget({ inputLimit: 1000, outputLimit: 1000 });
    budget.record({ input_tokens: 900, output_tokens: 0 });
    const standard = new RecordingChatModel('big', 'from big');
    const economy = new RecordingChatModel('small', 'from small');
    const { model, records } = managed({ standard, economy, budget });
    await model.invoke('hi');
    await model.withTier('standard').invoke('hi');
    await new ManagedChatModel({
      standard,
      economy,
      tier: 'economy',
      onCall: (record) => records.push(record),
    }).invoke('hi');
    expect(records.map((record) => `${record.tier}:${record.model}`)).toEqual([
      'economy:small',
      'standard:big',
      'economy:small',
    ]);
  });

  it('refuses tools bound twice', () => {
    const { model } = managed({});
    const bound = model.bindTools([
      { name: 'a', description: 'b', schema: z.object({}) },
    ]) as ManagedChatModel;
    expect(() => bound.bindTools([])).toThrow(/already bound/);
  });

  it('counts tokens locally instead of downloading a tokenizer', async () => {
    const { model } = managed({});
    expect(await model.getNumTokens('hello world')).toBe(2);
  });
});

describe('budgetedModel', () => {
  it('wraps any model, and re-budgets an already managed one', async () => {
    const budget = new TokenBudget({ inputLimit: 5, outputLimit: 100 });
    const raw = new RecordingChatModel('raw', 'ok');
    await expect(
      budgetedModel(raw, budget).invoke('a prompt well over five tokens long'),
    ).rejects.toMatchObject({
      code: 'budget_exceeded',
    });
    expect(raw.calls).toHaveLength(0);
    const { model } = managed({ standard: raw });
    await expect(
      budgetedModel(model, budget).invoke('a prompt well over five tokens long'),
    ).rejects.toMatchObject({
      code: 'budget_exceeded',
    });
    expect(raw.calls).toHaveLength(0);
  });
});

describe('createChatModel', () => {
  it("builds the offline provider's model from the factory it is given", async () => {
    const settings = loadModelSettings({}, { env: {} });
    const offline = new RecordingChatModel('offline', 'offline answer');
    const model = createChatModel(settings, { offline: () => offline });
    expect((await model.invoke('deploy')).text).toBe('offline answer');
  });

  it('builds the offline model by default, behind the budget like any other', async () => {
    const settings = loadModelSettings({}, { env: {} });
    const budget = TokenBudget.fromSettings(settings);
    const model = createChatModel(settings, { budget });
    expect((model.fields.standard as BaseChatModel)._llmType()).not.toBe('recording');
    await model.invoke('hello');
    expect(budget.snapshot().input_used).toBeGreaterThan(0);
  });
});
