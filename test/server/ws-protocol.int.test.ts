/**
 * The /ws/agent protocol's guards: the upgrade's Origin check and authentication, the session
 * check, and frames that are malformed, binary, oversized or too many: each gets an error frame,
 * and the connection and the session carry on.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_CLIENT_FRAME_BYTES, PROTOCOL_VERSION } from '../../src/protocol/ws.js';
import { AgentClient, bearer, type ServerHarness, startServerHarness } from '../helpers/server-harness.js';

const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: { status?: number }) => error.status,
  );

describe('/ws/agent protocol', () => {
  let harness: ServerHarness;
  beforeAll(async () => {
    harness = await startServerHarness({ heartbeatMs: 300, allowedOrigins: ['https://copilot.example.com'] });
  });
  afterAll(() => harness.close());

  it('refuses the upgrade from foreign origins (403) and without credentials (401)', async () => {
    expect(
      await refusal(
        AgentClient.open(harness.wsUrl, { headers: bearer(), origin: 'https://attacker.example' }),
      ),
    ).toBe(403);
    expect(await refusal(AgentClient.open(harness.wsUrl, { origin: harness.url }))).toBe(401);
    expect(await refusal(AgentClient.open(harness.wsUrl, { headers: bearer('wrong') }))).toBe(401);
    const same = await AgentClient.open(harness.wsUrl, { headers: bearer(), origin: harness.url });
    await same.close();
    const listed = await AgentClient.open(harness.wsUrl, {
      headers: bearer(),
      origin: 'https://copilot.example.com',
    });
    await listed.close();
  });

  it('says hello with the protocol version, and refuses another version or an unknown session', async () => {
    const client = await AgentClient.open(harness.wsUrl, { headers: bearer() });
    expect(client.hello).toMatchObject({
      protocol_version: PROTOCOL_VERSION,
      session_id: expect.any(String),
      user: { id: 'local' },
      running: false,
      max_frame_bytes: MAX_CLIENT_FRAME_BYTES,
    });
    await client.close();
    expect(
      await refusal(AgentClient.open(`${harness.wsUrl}?protocol_version=99`, { headers: bearer() })),
    ).toBe(400);
    const unknown = '6f1c1c52-6e0c-4a4e-9d1e-0d6c2b8f0a11';
    expect(await refusal(AgentClient.open(harness.wsUrl, { headers: bearer(), sessionId: unknown }))).toBe(
      404,
    );
    expect(
      await refusal(AgentClient.open(`${harness.wsUrl}?session_id=not-a-uuid`, { headers: bearer() })),
    ).toBe(400);
  });

  it('answers malformed, binary and oversized frames with an error; the connection and the session survive', async () => {
    const client = await AgentClient.open(harness.wsUrl, { headers: bearer() });
    client.send('this is not json');
    expect(await client.nextOf('error')).toMatchObject({
      code: 'frame_invalid',
      message: 'the frame is not JSON',
    });
    client.send({ type: 'user-message', id: 'm0' });
    expect(await client.nextOf('error')).toMatchObject({ code: 'frame_invalid', field: 'text', id: 'm0' });
    client.send({ type: 'launch-missiles' });
    expect(await client.nextOf('error')).toMatchObject({ code: 'frame_invalid', field: 'type' });
    client.send({ type: 'resume', after_seq: -1 });
    expect(await client.nextOf('error')).toMatchObject({ code: 'frame_invalid', field: 'after_seq' });
    client.send({
      type: 'interrupt-answer',
      answer: { kind: 'approval', plan_hash: 'short', decision: 'approve' },
    });
    expect(await client.nextOf('error')).toMatchObject({ code: 'frame_invalid', field: 'answer.plan_hash' });
    client.send(Buffer.from([1, 2, 3]));
    expect(await client.nextOf('error')).toMatchObject({ code: 'frame_invalid' });
    client.send(JSON.stringify({ type: 'user-message', text: 'x'.repeat(MAX_CLIENT_FRAME_BYTES + 10) }));
    expect(await client.nextOf('error')).toMatchObject({ code: 'frame_too_large' });
    // Nothing waits for an answer in a fresh session.
    client.send({ type: 'interrupt-answer', id: 'a0', answer: { kind: 'form', form_id: 'f', values: {} } });
    expect(await client.nextOf('error')).toMatchObject({ code: 'not_found', id: 'a0' });

    client.send({ type: 'ping', id: 'p1' });
    expect(await client.nextOf('heartbeat')).toMatchObject({ id: 'p1' });
    client.send({ type: 'user-message', id: 'm1', text: 'hello, what can you do?' });
    expect(await client.nextOf('turn-end')).toMatchObject({ id: 'm1', workflow: 'chat', status: 'done' });
    const reply = client.events().find((event) => event.type === 'message-end');
    expect(reply).toBeDefined();
    client.send({ type: 'user-message', id: 'm2', text: 'and what else?' });
    expect(await client.nextOf('turn-end')).toMatchObject({ id: 'm2' });
    expect(client.closed).toBeUndefined();
    expect(client.invalid).toEqual([]);
    await client.close();
  });

  it('refuses a second message while a turn of the session runs', async () => {
    const client = await AgentClient.open(harness.wsUrl, { headers: bearer() });
    client.send({ type: 'user-message', id: 'first', text: 'what can you do?' });
    client.send({ type: 'user-message', id: 'second', text: 'and now?' });
    expect(await client.nextOf('error')).toMatchObject({ code: 'busy', id: 'second' });
    expect(await client.nextOf('turn-end')).toMatchObject({ id: 'first' });
    await client.close();
  });

  it('sends heartbeats on its own', async () => {
    const client = await AgentClient.open(harness.wsUrl, { headers: bearer() });
    const beat = await client.nextOf('heartbeat', 5000);
    expect(beat.id).toBeUndefined();
    expect(Number.isNaN(Date.parse(beat.at))).toBe(false);
    await client.close();
  });

  it('limits frames per user with an error frame, keeping the connection', async () => {
    const limited = await startServerHarness({ rateLimitPerMinute: 4 });
    try {
      const client = await AgentClient.open(limited.wsUrl, { headers: bearer() });
      for (let index = 0; index < 6; index += 1) client.send({ type: 'ping', id: `p${index}` });
      const error = await client.nextOf('error');
      expect(error).toMatchObject({ code: 'rate_limited' });
      expect(client.frames.filter((frame) => frame.type === 'heartbeat').length).toBeLessThan(6);
      expect(client.closed).toBeUndefined();
      await client.close();
    } finally {
      await limited.close();
    }
  });
});
