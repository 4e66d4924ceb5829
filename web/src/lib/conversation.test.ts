import { describe, expect, it } from 'vitest';
import type { EventFrame } from '../../../src/protocol/ws.js';
import { buildConversation, currentActivity } from './conversation.js';
import { pendingCredentialRequest } from './request-answers.js';
import { userMessagesOf } from './user-messages.js';

type Event = EventFrame extends infer T
  ? T extends EventFrame
    ? Omit<T, 'seq' | 'session_id'>
    : never
  : never;

/** Numbers the events 1, 2, ... as the store would. */
function stream(...events: Event[]): EventFrame[] {
  return events.map((event, index) => ({ ...event, seq: index + 1, session_id: 's' }) as EventFrame);
}

const HASH = 'a'.repeat(64);
const formRequest: Event = {
  type: 'form-request',
  form_id: 'f1',
  title: 'A few details to deploy',
  fields: [
    { name: 'target', label: 'target', description: '', kind: 'select', required: true, options: ['lambda'] },
  ],
};
const approval: Event = {
  type: 'approval-request',
  plan_hash: HASH,
  plan_id: 'p1',
  deployment_id: 'd1',
  steps: [{ id: 'function', tool: 'deploy_lambda_repo', args: {}, risk: 'write', description: 'deploy' }],
  previews: [],
  risk: 'write',
  summary: 'Deploy shop',
};
const pause = (node: string): Event[] => [
  { type: 'node-start', node, agent: 'intake' },
  { type: 'node-end', node, agent: 'intake', status: 'ok', latency_ms: 1 },
];

describe('buildConversation', () => {
  it('streams deltas into one message that message-end then replaces', () => {
    const streaming = stream(
      { type: 'message-delta', role: 'assistant', text: 'Deplo' },
      { type: 'message-delta', role: 'assistant', text: 'ying' },
    );
    expect(buildConversation(streaming, [], {})).toEqual([
      { kind: 'assistant', key: 'event-1', text: 'Deploying', streaming: true },
    ]);
    const ended = stream(
      { type: 'message-delta', role: 'assistant', text: 'Deplo' },
      { type: 'message-end', role: 'assistant', text: 'Deployed.' },
    );
    expect(buildConversation(ended, [], {})).toEqual([
      { kind: 'assistant', key: 'event-1', text: 'Deployed.', streaming: false },
    ]);
  });

  it('tells a waiting form from one answered, by what happened after it', () => {
    const waiting = stream(formRequest, ...pause('ask-form'), ...pause('await-form'));
    expect(buildConversation(waiting, [], {})[0]).toMatchObject({ kind: 'form', answered: false });
    const answered = stream(formRequest, ...pause('await-form'), {
      type: 'node-start',
      node: 'intake',
      agent: 'x',
    });
    expect(buildConversation(answered, [], {})[0]).toMatchObject({ kind: 'form', answered: true });
    expect(
      buildConversation(waiting, [], { f1: { frameId: 'x', shown: { target: 'lambda' } } })[0],
    ).toMatchObject({
      answered: true,
      answer: { shown: { target: 'lambda' } },
    });
  });

  it('reads a replayed approval as approved when a step ran, rejected when the deployment ended without one', () => {
    const approved = stream(approval, {
      type: 'step-start',
      deployment_id: 'd1',
      step_id: 'function',
      tool: 'deploy_lambda_repo',
      index: 1,
      total: 1,
    });
    expect(buildConversation(approved, [], {})[0]).toMatchObject({ kind: 'approval', decision: 'approve' });
    const rejected = stream(approval, {
      type: 'deployment-end',
      deployment_id: 'd1',
      status: 'failed',
      summary: 'You rejected the plan',
    });
    expect(buildConversation(rejected, [], {})[0]).toMatchObject({ answered: true, decision: 'reject' });
    expect(buildConversation(stream(approval), [], {})[0]).toMatchObject({ answered: false });
  });

  it('gathers one deployment into one progress item whose steps show their latest state', () => {
    const items = buildConversation(
      stream(
        { type: 'step-start', deployment_id: 'd1', step_id: 'a', tool: 'create_bucket', index: 1, total: 2 },
        { type: 'step-end', deployment_id: 'd1', step_id: 'a', status: 'completed', latency_ms: 30 },
        { type: 'step-start', deployment_id: 'd1', step_id: 'b', tool: 'deploy_lambda', index: 2, total: 2 },
        {
          type: 'step-end',
          deployment_id: 'd1',
          step_id: 'b',
          status: 'failed',
          latency_ms: 40,
          detail: 'boom',
        },
        { type: 'step-end', deployment_id: 'd1', step_id: 'a', status: 'compensated', latency_ms: 5 },
        { type: 'deployment-end', deployment_id: 'd1', status: 'rolled-back', summary: 'undone' },
      ),
      [],
      {},
    );
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      kind: 'deployment',
      steps: [
        { stepId: 'a', state: 'compensated', latencyMs: 5 },
        { stepId: 'b', state: 'failed', latencyMs: 40, detail: 'boom' },
      ],
      end: { status: 'rolled-back' },
    });
  });

  it('pairs tool calls with their ends', () => {
    const items = buildConversation(
      stream(
        {
          type: 'tool-call-start',
          call_id: 'c1',
          tool: 'list_clusters',
          args: {},
          mode: 'run',
          agent: 'triage',
        },
        { type: 'tool-call-end', call_id: 'c1', tool: 'list_clusters', status: 'ok', summary: '2 clusters' },
      ),
      [],
      {},
    );
    expect(items).toMatchObject([{ kind: 'tool', end: { summary: '2 clusters' } }]);
  });

  it('places transcript turns after the assistant message they followed, and sent messages where they were sent', () => {
    const events = stream({ type: 'message-end', role: 'assistant', text: 'Which region?' }, formRequest, {
      type: 'message-end',
      role: 'assistant',
      text: 'Done.',
    });
    const messages = [
      ...userMessagesOf([
        { seq: 1, role: 'user', content: 'deploy ./shop' },
        { seq: 2, role: 'assistant', content: 'Which region?' },
        { seq: 3, role: 'user', content: 'us-east-1' },
      ]),
      { key: 'sent-1', text: 'thanks', afterSeq: 3 },
    ];
    const kinds = buildConversation(events, messages, {}).map((item) =>
      item.kind === 'user' || item.kind === 'assistant' ? item.text : item.kind,
    );
    expect(kinds).toEqual(['deploy ./shop', 'Which region?', 'us-east-1', 'form', 'Done.', 'thanks']);
  });
});

describe('currentActivity and pendingCredentialRequest', () => {
  it('names the node still running', () => {
    const events = stream(...pause('intake'), { type: 'node-start', node: 'preflight', agent: 'planning' });
    expect(currentActivity(events)).toEqual({ node: 'preflight', agent: 'planning' });
    expect(currentActivity(stream(...pause('intake')))).toBeUndefined();
  });

  it('finds the credential-request the session waits on until it is answered', () => {
    const request: Event = { type: 'credential-request', form_id: 'c1', reason: 'none stored' };
    const waiting = stream(request, ...pause('await-credentials'));
    expect(pendingCredentialRequest(waiting, {})).toMatchObject({ form_id: 'c1' });
    expect(pendingCredentialRequest(waiting, { c1: { frameId: 'x' } })).toBeUndefined();
    expect(
      pendingCredentialRequest(stream(request, { type: 'node-start', node: 'intake', agent: 'x' }), {}),
    ).toBeUndefined();
  });
});
