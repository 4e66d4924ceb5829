import { describe, expect, it } from 'vitest';
import { TokenBudget } from './token-budget.js';

describe('TokenBudget', () => {
  it('refuses a reservation beyond what is left, saying what was used and which setting raises it', () => {
    const budget = new TokenBudget({ inputLimit: 1000, outputLimit: 500 });
    budget.record({ input_tokens: 700, output_tokens: 10 });
    expect(() => budget.reserve(400)).toThrow(
      expect.objectContaining({
        code: 'budget_exceeded',
        message: expect.stringMatching(
          /needs about 400 input tokens but this session has 300 of 1,000 left \(700 used\).*AWS_COPILOT_INPUT_TOKEN_BUDGET \(at most 120,000\)/,
        ),
      }),
    );
    expect(() => budget.reserve(300)).not.toThrow();
  });

  it('counts calls under way against what is left, and gives back a released reservation', () => {
    const budget = new TokenBudget({ inputLimit: 1000, outputLimit: 500 });
    const first = budget.reserve(600);
    expect(() => budget.reserve(600)).toThrow(/400 of 1,000 left/);
    expect(budget.snapshot().input_reserved).toBe(600);
    budget.release(first);
    expect(budget.snapshot()).toMatchObject({ input_reserved: 0, input_used: 0 });
    const second = budget.reserve(600);
    budget.record({ input_tokens: 550, output_tokens: 20 }, second);
    expect(budget.snapshot()).toMatchObject({ input_used: 550, output_used: 20, input_reserved: 0 });
  });

  it('refuses every call once the output budget is spent', () => {
    const budget = new TokenBudget({ inputLimit: 1000, outputLimit: 100 });
    budget.record({ input_tokens: 10, output_tokens: 100 });
    expect(() => budget.reserve(1)).toThrow(/used all 100 output tokens.*AWS_COPILOT_OUTPUT_TOKEN_BUDGET/);
  });

  it('is tight when less than a fifth of either budget is left', () => {
    const budget = new TokenBudget({ inputLimit: 1000, outputLimit: 100 });
    expect(budget.isTight()).toBe(false);
    budget.record({ input_tokens: 800, output_tokens: 0 });
    expect(budget.isTight()).toBe(false);
    budget.record({ input_tokens: 1, output_tokens: 0 });
    expect(budget.isTight()).toBe(true);
    const output = new TokenBudget({ inputLimit: 1000, outputLimit: 100 });
    output.record({ input_tokens: 0, output_tokens: 81 });
    expect(output.isTight()).toBe(true);
  });

  it('enforces the hard ceilings of 120k input and 60k output tokens', () => {
    expect(() => new TokenBudget({ inputLimit: 120_001, outputLimit: 1000 })).toThrow(
      /AWS_COPILOT_INPUT_TOKEN_BUDGET is 120,001 tokens, above the hard ceiling of 120,000/,
    );
    expect(() => new TokenBudget({ inputLimit: 1000, outputLimit: 60_001 })).toThrow(
      /AWS_COPILOT_OUTPUT_TOKEN_BUDGET/,
    );
    expect(() => new TokenBudget({ inputLimit: 0, outputLimit: 10 })).toThrow(/positive whole number/);
    expect(
      TokenBudget.fromSettings({ inputTokenBudget: 120_000, outputTokenBudget: 60_000 }).snapshot(),
    ).toMatchObject({
      input_limit: 120_000,
      output_limit: 60_000,
    });
  });

  it('attributes usage to the deployment tagged when the call started', () => {
    const budget = new TokenBudget({ inputLimit: 10_000, outputLimit: 10_000 });
    budget.setDeployment('dep-a');
    const call = budget.reserve(100);
    budget.setDeployment('dep-b');
    budget.record({ input_tokens: 100, output_tokens: 5 }, call);
    budget.record({ input_tokens: 7, output_tokens: 1 });
    budget.setDeployment(undefined);
    budget.record({ input_tokens: 3, output_tokens: 1 });
    expect(budget.snapshot()).toMatchObject({
      input_used: 110,
      output_used: 7,
      deployments: {
        'dep-a': { input_used: 100, output_used: 5 },
        'dep-b': { input_used: 7, output_used: 1 },
      },
    });
  });
});
