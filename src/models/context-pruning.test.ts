import { BaseChatModel, type BindToolsInput } from '@langchain/core/language_models/chat_models';
import {
  AIMessage,
  type BaseMessage,
  HumanMessage,
  SystemMessage,
  ToolMessage,
} from '@langchain/core/messages';
import type { ChatResult } from '@langchain/core/outputs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CONTEXT_TOKEN_LIMIT, PLAN_MESSAGE_NAME, pruneContext } from './context-pruning.js';
import { ManagedChatModel } from './managed-chat-model.js';
import { TokenBudget } from './token-budget.js';
import { countMessageTokens, countTextTokens, toToolSchema, truncateTextTokens } from './token-counter.js';

/** Records every request it receives and answers "ok". */
class RecordingChatModel extends BaseChatModel {
  readonly requests: BaseMessage[][] = [];

  _llmType(): string {
    return 'recording';
  }

  override bindTools(tools: BindToolsInput[]) {
    return this.withConfig({ tools } as Partial<this['ParsedCallOptions']>);
  }

  async _generate(messages: BaseMessage[]): Promise<ChatResult> {
    this.requests.push(messages);
    const message = new AIMessage('ok');
    return { generations: [{ text: 'ok', message }] };
  }
}

/** About `tokens` o200k tokens of varied text. */
function filler(label: string, tokens: number): string {
  const words = ['deploy', 'bucket', 'lambda', 'region', 'health', 'rollback', 'vite', 'fastapi', 'journal'];
  const parts: string[] = [];
  for (let index = 0; parts.length < tokens; index += 1) parts.push(words[index % words.length] as string);
  return `${label}: ${parts.join(' ')}`;
}

const SYSTEM = new SystemMessage('You are the planner of aws-copilot. Never run a write without approval.');

/** A long session: many request/answer turns, each with a tool round, then the latest request and tool output. */
function longConversation(turns: number, toolTokens = 400): BaseMessage[] {
  const messages: BaseMessage[] = [SYSTEM];
  for (let turn = 1; turn <= turns; turn += 1) {
    messages.push(new HumanMessage(filler(`request ${turn}`, 120)));
    messages.push(
      new AIMessage({
        content: '',
        tool_calls: [{ id: `call-${turn}`, name: 'list_buckets', args: { turn } }],
      }),
    );
    messages.push(
      new ToolMessage({ content: filler(`buckets ${turn}`, toolTokens), tool_call_id: `call-${turn}` }),
    );
    messages.push(new AIMessage(filler(`answer ${turn}`, 80)));
  }
  messages.push(new HumanMessage('LATEST REQUEST: deploy ./shop to us-east-1 on lambda'));
  messages.push(
    new AIMessage({ content: '', tool_calls: [{ id: 'call-last', name: 'describe_stack', args: {} }] }),
  );
  messages.push(
    new ToolMessage({ content: 'LATEST TOOL OUTPUT: stack shop is healthy', tool_call_id: 'call-last' }),
  );
  return messages;
}

/** Every tool result answers a tool call kept before it, as providers require. */
function toolResultsAnswered(messages: BaseMessage[]): boolean {
  const calls = new Set<string>();
  for (const message of messages) {
    if (AIMessage.isInstance(message)) for (const call of message.tool_calls ?? []) calls.add(call.id ?? '');
    if (ToolMessage.isInstance(message) && !calls.has(message.tool_call_id)) return false;
  }
  return true;
}

describe('truncateTextTokens', () => {
  it('keeps text within the limit untouched, and cuts longer text to at most the limit', () => {
    expect(truncateTextTokens('short text', 100)).toBe('short text');
    const long = filler('log', 3000);
    const head = truncateTextTokens(long, 500);
    expect(countTextTokens(head)).toBeLessThanOrEqual(500);
    expect(head.startsWith('log: deploy bucket')).toBe(true);
    const both = truncateTextTokens(`${long} FINAL ERROR LINE`, 500, 'head-and-tail');
    expect(countTextTokens(both)).toBeLessThanOrEqual(500);
    expect(both).toMatch(/^log: deploy[\s\S]*tokens cut to 500[\s\S]*FINAL ERROR LINE$/);
  });
});

describe('pruneContext', () => {
  it('returns a conversation under the limit as it is', () => {
    const messages = longConversation(2);
    expect(pruneContext(messages)).toBe(messages);
  });

  it('cuts a long session under 8k, keeping the system prompt, the latest request and the latest tool round', () => {
    const messages = longConversation(40);
    expect(countMessageTokens(messages)).toBeGreaterThan(25_000);
    const pruned = pruneContext(messages);
    expect(countMessageTokens(pruned)).toBeLessThanOrEqual(CONTEXT_TOKEN_LIMIT);
    expect(pruned[0]).toBe(SYSTEM);
    expect(pruned.slice(-3).map((message) => message.text)).toEqual([
      'LATEST REQUEST: deploy ./shop to us-east-1 on lambda',
      '',
      'LATEST TOOL OUTPUT: stack shop is healthy',
    ]);
    expect(toolResultsAnswered(pruned)).toBe(true);
    // The oldest turns went first: what remains of the middle is the most recent part of it.
    const kept = pruned.map((message) => message.text).filter((text) => text.startsWith('request '));
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.at(-1)).toMatch(/^request 40:/);
    expect(kept).not.toContainEqual(expect.stringMatching(/^request 1:/));
  });

  it('keeps the current plan however old it is', () => {
    const messages = longConversation(30);
    const plan = new AIMessage({
      content: 'PLAN: 1. create_bucket 2. deploy_lambda_repo',
      name: PLAN_MESSAGE_NAME,
    });
    messages.splice(2, 0, plan);
    const pruned = pruneContext(messages);
    expect(pruned).toContain(plan);
    expect(countMessageTokens(pruned)).toBeLessThanOrEqual(CONTEXT_TOKEN_LIMIT);
  });

  it('cuts oversized tool outputs to their head and tail instead of dropping the latest one', () => {
    const huge = `${filler('START OF LOG', 20_000)} END OF LOG: exit code 137`;
    const messages = [
      SYSTEM,
      new HumanMessage('why did my task stop?'),
      new AIMessage({ content: '', tool_calls: [{ id: 'logs', name: 'get_log_events', args: {} }] }),
      new ToolMessage({ content: huge, tool_call_id: 'logs' }),
    ];
    const pruned = pruneContext(messages);
    expect(pruned).toHaveLength(4);
    expect(countMessageTokens(pruned)).toBeLessThanOrEqual(CONTEXT_TOKEN_LIMIT);
    const output = pruned[3] as ToolMessage;
    expect(output.tool_call_id).toBe('logs');
    expect(output.text).toMatch(/^START OF LOG[\s\S]*tokens cut to[\s\S]*exit code 137$/);
  });

  it('cuts even the requirements, last, when they alone are too long', () => {
    const messages = [new SystemMessage(filler('SYSTEM', 6000)), new HumanMessage(filler('REQUEST', 6000))];
    const pruned = pruneContext(messages, 4000);
    expect(countMessageTokens(pruned)).toBeLessThanOrEqual(4000);
    expect(pruned.map((message) => message.getType())).toEqual(['system', 'human']);
    expect(pruned[1]?.text.startsWith('REQUEST: deploy')).toBe(true);
  });
});

describe('ManagedChatModel prunes before every call', () => {
  it('sends a long conversation under 8k tokens, tool schemas included, and budgets what it sent', async () => {
    const recording = new RecordingChatModel({});
    const budget = new TokenBudget({ inputLimit: 100_000, outputLimit: 10_000 });
    const tool = {
      name: 'list_buckets',
      description: 'List S3 buckets.',
      schema: z.object({ prefix: z.string() }),
    };
    const model = new ManagedChatModel({ standard: recording, budget }).bindTools([tool]);
    const conversation = longConversation(40);
    await model.invoke(conversation);
    await model.invoke([...conversation, new AIMessage('done'), new HumanMessage('and now s3?')]);

    expect(recording.requests).toHaveLength(2);
    for (const request of recording.requests) {
      expect(countMessageTokens(request, [toToolSchema(tool)])).toBeLessThanOrEqual(CONTEXT_TOKEN_LIMIT);
      // The system prompt leads, whatever the guardrails append to it.
      expect(request[0]?.text.startsWith(SYSTEM.text)).toBe(true);
      expect(toolResultsAnswered(request)).toBe(true);
    }
    const [first, second] = recording.requests as [BaseMessage[], BaseMessage[]];
    expect(first.at(-1)?.text).toContain('LATEST TOOL OUTPUT: stack shop is healthy');
    expect(first.at(-3)?.text).toBe('LATEST REQUEST: deploy ./shop to us-east-1 on lambda');
    expect(second.at(-1)?.text).toBe('and now s3?');
    expect(second.some((message) => message.text.includes('LATEST TOOL OUTPUT: stack shop is healthy'))).toBe(
      true,
    );
    const sent = recording.requests.reduce(
      (sum, request) => sum + countMessageTokens(request, [toToolSchema(tool)]),
      0,
    );
    expect(budget.snapshot().input_used).toBe(sent);
  });

  it('honours a smaller limit of its own', async () => {
    const recording = new RecordingChatModel({});
    await new ManagedChatModel({ standard: recording, contextLimit: 3000 }).invoke(longConversation(10));
    expect(countMessageTokens(recording.requests[0] ?? [])).toBeLessThanOrEqual(3000);
  });
});
