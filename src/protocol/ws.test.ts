import { describe, expect, it } from 'vitest';
import { clientFrameSchema, serverFrameSchema } from './ws.js';

describe('/ws/agent frames', () => {
  it('tells a stored error event (with its seq) from a refused frame (without)', () => {
    const stored = serverFrameSchema.parse({
      type: 'error',
      code: 'aws_error',
      message: 'x',
      seq: 4,
      session_id: 's',
    });
    expect(stored).toMatchObject({ seq: 4 });
    const refused = serverFrameSchema.parse({
      type: 'error',
      code: 'frame_invalid',
      message: 'x',
      field: 'text',
    });
    expect('seq' in refused).toBe(false);
    expect(serverFrameSchema.safeParse({ type: 'error', code: 'made-up', message: 'x' }).success).toBe(false);
  });

  it('accepts the four client frames and nothing else', () => {
    for (const frame of [
      { type: 'user-message', text: 'deploy ./shop', id: 'm1' },
      { type: 'interrupt-answer', answer: { kind: 'form', form_id: 'f', values: { target: 'lambda' } } },
      { type: 'resume', after_seq: 0 },
      { type: 'ping' },
    ])
      expect(clientFrameSchema.parse(frame)).toMatchObject(frame);
    expect(clientFrameSchema.safeParse({ type: 'user-message', text: '   ' }).success).toBe(false);
    expect(clientFrameSchema.safeParse({ type: 'ping', admin: true }).success).toBe(false);
  });
});
