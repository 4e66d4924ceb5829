import { AIMessage, HumanMessage, SystemMessage, ToolMessage } from '@langchain/core/messages';
import { describe, expect, it } from 'vitest';
import { promptHash } from './prompt-hash.js';

describe('promptHash', () => {
  const conversation = [
    new SystemMessage('You deploy apps.'),
    new HumanMessage('Deploy acme/shop to us-east-1'),
  ];

  it('is the sha256 hex of the request, equal for equal requests', () => {
    const hash = promptHash(conversation);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(
      promptHash([new SystemMessage('You deploy apps.'), new HumanMessage('Deploy acme/shop to us-east-1')]),
    ).toBe(hash);
  });

  it('changes with any part of the request: text, role, tool calls, tool results, tool schemas', () => {
    const hashes = new Set([
      promptHash(conversation),
      promptHash([new SystemMessage('You deploy apps.'), new HumanMessage('Deploy acme/shop to us-east-2')]),
      promptHash([new HumanMessage('You deploy apps.'), new HumanMessage('Deploy acme/shop to us-east-1')]),
      promptHash([
        ...conversation,
        new AIMessage({ content: '', tool_calls: [{ id: 'c1', name: 'a', args: { x: 1 } }] }),
      ]),
      promptHash([
        ...conversation,
        new AIMessage({ content: '', tool_calls: [{ id: 'c1', name: 'a', args: { x: 2 } }] }),
      ]),
      promptHash([...conversation, new ToolMessage({ tool_call_id: 'c1', content: 'ok' })]),
      promptHash(conversation, [{ name: 'a', description: 'b', parameters: {} }]),
    ]);
    expect(hashes.size).toBe(7);
  });

  it('does not contain the prompt', () => {
    expect(promptHash([new HumanMessage('my secret plan')])).not.toContain('secret');
  });
});
