import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { EventFrame } from '../../../src/protocol/ws.js';
import { AgentSocket, type AgentSocketListener } from './agent-socket.js';

/** Stands in for the browser's WebSocket: records what the client sends, lets the test play the server. */
class FakeWebSocket extends EventTarget {
  static readonly OPEN = 1;
  static opened: FakeWebSocket[] = [];
  readyState = 0;
  readonly sent: Array<Record<string, unknown>> = [];

  constructor(readonly url: string) {
    super();
    FakeWebSocket.opened.push(this);
  }

  send(data: string): void {
    this.sent.push(JSON.parse(data));
  }

  close(): void {
    this.readyState = 3;
    this.dispatchEvent(new Event('close'));
  }

  /** The server's side. */
  serve(frame: unknown): void {
    this.readyState = FakeWebSocket.OPEN;
    this.dispatchEvent(new MessageEvent('message', { data: JSON.stringify(frame) }));
  }
}

const hello = (sessionId: string) => ({
  type: 'hello',
  protocol_version: 1,
  session_id: sessionId,
  user: { id: 'u', name: 'u' },
  running: true,
  heartbeat_ms: 15_000,
  max_frame_bytes: 65_536,
});

const event = (seq: number) => ({ type: 'node-start', node: `n${seq}`, agent: 'a', seq, session_id: 's1' });

function recorder() {
  const seen: number[] = [];
  const problems: string[] = [];
  const listener: AgentSocketListener = {
    hello: () => undefined,
    event: (frame: EventFrame) => seen.push(frame.seq),
    turnEnd: () => undefined,
    resumeEnd: () => undefined,
    problem: (problem) => problems.push(problem.code),
    connection: () => undefined,
  };
  return { seen, problems, listener };
}

describe('AgentSocket', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    FakeWebSocket.opened = [];
    vi.stubGlobal('WebSocket', FakeWebSocket);
    vi.stubGlobal('window', { location: { protocol: 'http:', host: '127.0.0.1:8765' } });
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('resumes after what it has, delivers each event once across reconnects, and reports bad frames', () => {
    const { seen, problems, listener } = recorder();
    const socket = new AgentSocket(listener, 's1');
    socket.connect();
    const first = FakeWebSocket.opened[0] as FakeWebSocket;
    expect(first.url).toBe('ws://127.0.0.1:8765/ws/agent?protocol_version=1&session_id=s1');
    first.serve(hello('s1'));
    expect(first.sent).toEqual([{ type: 'resume', after_seq: 0, id: 'resume-1' }]);
    // A live event can overtake the replay of older ones.
    first.serve(event(4));
    for (const seq of [1, 2, 3]) first.serve(event(seq));
    first.serve({ type: 'resume-end', session_id: 's1', last_seq: 4, running: true });
    first.serve(event(5));
    first.serve({ type: 'step-start', seq: 6 });
    expect(problems).toEqual(['frame_invalid']);

    first.close();
    vi.advanceTimersByTime(60_000);
    const second = FakeWebSocket.opened[1] as FakeWebSocket;
    second.serve(hello('s1'));
    expect(second.sent).toEqual([{ type: 'resume', after_seq: 5, id: 'resume-2' }]);
    for (const seq of [5, 6]) second.serve(event(seq));
    expect(seen).toEqual([4, 1, 2, 3, 5, 6]);
    socket.close();
  });

  it('does not resume from a replay cut short: events before resume-end may have gaps', () => {
    const { listener } = recorder();
    const socket = new AgentSocket(listener, 's1');
    socket.connect();
    const first = FakeWebSocket.opened[0] as FakeWebSocket;
    first.serve(hello('s1'));
    first.serve(event(9));
    first.close();
    vi.advanceTimersByTime(60_000);
    const second = FakeWebSocket.opened[1] as FakeWebSocket;
    second.serve(hello('s1'));
    expect(second.sent[0]).toMatchObject({ type: 'resume', after_seq: 0 });
    socket.close();
  });

  it('asks for a heartbeat after a silent interval and reconnects when none comes', () => {
    const socket = new AgentSocket(recorder().listener);
    socket.connect();
    const first = FakeWebSocket.opened[0] as FakeWebSocket;
    // A new session: nothing stored yet, so no session_id to reopen.
    expect(first.url).not.toContain('session_id');
    first.serve(hello('fresh'));
    vi.advanceTimersByTime(20_001);
    expect(first.sent.at(-1)).toMatchObject({ type: 'ping' });
    vi.advanceTimersByTime(20_001);
    expect(first.readyState).toBe(3);
    vi.advanceTimersByTime(60_000);
    expect(FakeWebSocket.opened).toHaveLength(2);
    socket.close();
  });
});
