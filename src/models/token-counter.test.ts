import { AIMessage, HumanMessage, SystemMessage, ToolMessage } from '@langchain/core/messages';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  countContentTokens,
  countMessageTokens,
  countOutputTokens,
  countTextTokens,
  countToolSchemaTokens,
  toToolSchema,
} from './token-counter.js';

describe('countTextTokens (o200k_base)', () => {
  it('counts known strings as o200k encodes them', () => {
    expect(countTextTokens('hello world')).toBe(2);
    expect(countTextTokens('Hello, world!')).toBe(4);
    expect(countTextTokens('tiktoken is great!')).toBe(6);
    expect(countTextTokens('')).toBe(0);
  });

  it('counts special-token text as ordinary text instead of refusing it', () => {
    expect(countTextTokens('<|endoftext|>')).toBeGreaterThan(1);
  });
});

describe('countMessageTokens', () => {
  it("matches OpenAI's published count for the cookbook conversation (124 tokens on gpt-4o)", () => {
    const messages = [
      new SystemMessage(
        'You are a helpful, pattern-following assistant that translates corporate jargon into plain English.',
      ),
      new SystemMessage({ name: 'example_user', content: 'New synergies will help drive top-line growth.' }),
      new SystemMessage({
        name: 'example_assistant',
        content: 'Things working well together will increase revenue.',
      }),
      new SystemMessage({
        name: 'example_user',
        content:
          "Let's circle back when we have more time to touch base on opportunities for increased leverage.",
      }),
      new SystemMessage({
        name: 'example_assistant',
        content: "Let's talk later when we're less busy about how to do better.",
      }),
      new HumanMessage(
        "This late pivot means we don't have time to boil the ocean for the client deliverable.",
      ),
    ];
    expect(countMessageTokens(messages)).toBe(124);
  });

  it("matches OpenAI's published count for the cookbook request with a function tool (101 tokens on gpt-4o-mini)", () => {
    const messages = [
      new SystemMessage('You are a helpful assistant that can answer to questions about the weather.'),
      new HumanMessage("What's the weather like in San Francisco?"),
    ];
    const weather = toToolSchema({
      type: 'function',
      function: {
        name: 'get_current_weather',
        description: 'Get the current weather in a given location',
        parameters: {
          type: 'object',
          properties: {
            location: { type: 'string', description: 'The city and state, e.g. San Francisco, CA' },
            unit: {
              type: 'string',
              description: 'The unit of temperature to return',
              enum: ['celsius', 'fahrenheit'],
            },
          },
          required: ['location'],
        },
      },
    });
    expect(countMessageTokens(messages, [weather])).toBe(101);
  });

  it('counts tool calls, tool results and their ids', () => {
    const call = new AIMessage({
      content: '',
      tool_calls: [{ id: 'call_1', name: 'describe_instances', args: { region: 'us-east-1' } }],
    });
    const result = new ToolMessage({ tool_call_id: 'call_1', content: '{"instances":[]}' });
    const base = countMessageTokens([new HumanMessage('hi')]);
    expect(countMessageTokens([new HumanMessage('hi'), call])).toBeGreaterThan(base + 3 + 5);
    expect(countMessageTokens([result])).toBe(
      3 + 3 + countTextTokens('tool') + countTextTokens('{"instances":[]}') + countTextTokens('call_1'),
    );
  });

  it('counts text blocks, and images at a flat rate', () => {
    expect(
      countContentTokens([
        { type: 'text', text: 'hello world' },
        { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } },
      ]),
    ).toBe(2 + 85);
  });
});

describe('tool schemas', () => {
  it('normalises zod tools, OpenAI tools and Anthropic tools to the same schema', () => {
    const fromZod = toToolSchema({
      name: 'get_caller_identity',
      description: 'Who am I.',
      schema: z.object({ region: z.string().describe('AWS region') }),
    });
    expect(fromZod).toMatchObject({
      name: 'get_caller_identity',
      description: 'Who am I.',
      parameters: { type: 'object', properties: { region: { type: 'string', description: 'AWS region' } } },
    });
    const fromAnthropic = toToolSchema({
      name: 'get_caller_identity',
      description: 'Who am I.',
      input_schema: { type: 'object', properties: { region: { type: 'string', description: 'AWS region' } } },
    });
    expect(countToolSchemaTokens([fromAnthropic])).toBe(countToolSchemaTokens([fromZod]));
  });

  it('counts nested properties too', () => {
    const flat = toToolSchema({
      type: 'function',
      function: {
        name: 'f',
        description: 'd',
        parameters: { type: 'object', properties: { a: { type: 'object' } } },
      },
    });
    const nested = toToolSchema({
      type: 'function',
      function: {
        name: 'f',
        description: 'd',
        parameters: {
          type: 'object',
          properties: {
            a: { type: 'object', properties: { subnet_id: { type: 'string', description: 'subnet' } } },
          },
        },
      },
    });
    expect(countToolSchemaTokens([nested])).toBeGreaterThan(countToolSchemaTokens([flat]));
    expect(countToolSchemaTokens([])).toBe(0);
  });
});

describe('countOutputTokens', () => {
  it('counts the answer text and its tool calls, without prompt framing', () => {
    expect(countOutputTokens(new AIMessage('hello world'))).toBe(2);
    const call = new AIMessage({
      content: '',
      tool_calls: [{ id: 'c', name: 'stop_task', args: { task: 't-1' } }],
    });
    expect(countOutputTokens(call)).toBe(
      3 + countTextTokens('stop_task') + countTextTokens('{"task":"t-1"}'),
    );
  });
});
