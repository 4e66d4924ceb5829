/**
 * The `/ws/agent` client (protocol v1, src/protocol/ws.ts): one session per connection, every
 * server frame checked against serverFrameSchema, reconnection with backoff, and `resume` so that
 * a reloaded page or a dropped connection gets every event exactly once.
 */
import {
  type ClientFrame,
  type EventFrame,
  HEARTBEAT_INTERVAL_MS,
  type HelloFrame,
  PROTOCOL_VERSION,
  type ResumeEndFrame,
  serverFrameSchema,
  type TurnEndFrame,
  WS_AGENT_PATH,
} from '../../../src/protocol/ws.js';

export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'closed';

export interface ProtocolProblem {
  code: string;
  message: string;
  field?: string;
  /** The id of the client frame it answers. */
  id?: string;
}

export interface AgentSocketListener {
  hello(frame: HelloFrame): void;
  /** Each event once, whatever the connection it came on; not always in seq order (see resume). */
  event(frame: EventFrame): void;
  turnEnd(frame: TurnEndFrame): void;
  resumeEnd(frame: ResumeEndFrame): void;
  problem(problem: ProtocolProblem): void;
  connection(state: ConnectionState): void;
}

const MAX_BACKOFF_MS = 15_000;

export class AgentSocket {
  private socket: WebSocket | undefined;
  private sessionId: string | undefined;
  /** Seqs delivered so far: replay and live events can overlap across connections. */
  private readonly seen = new Set<number>();
  /**
   * Everything up to here has been delivered. A live event can arrive between `hello` and the
   * replay of older ones, so the highest seq is safe only once the replay (resume-end) is over.
   */
  private safeSeq = 0;
  private replayDone = false;
  /** True once the server stores something for this session: a brand-new id is unknown to it before. */
  private sessionUsed: boolean;
  private attempts = 0;
  private stopped = false;
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private silenceTimer: ReturnType<typeof setTimeout> | undefined;
  private heartbeatMs = HEARTBEAT_INTERVAL_MS;
  private pingedForSilence = false;
  private frameCounter = 0;

  constructor(
    private readonly listener: AgentSocketListener,
    sessionId?: string,
  ) {
    this.sessionId = sessionId;
    this.sessionUsed = sessionId !== undefined;
  }

  connect(): void {
    this.stopped = false;
    this.open('connecting');
  }

  /** Sends a frame with a fresh id; undefined when the connection is not open (nothing was sent). */
  send(frame: ClientFrame): string | undefined {
    const socket = this.socket;
    if (!socket || socket.readyState !== WebSocket.OPEN) return undefined;
    this.frameCounter += 1;
    const id = `${frame.type}-${this.frameCounter}`;
    if (frame.type === 'user-message') this.sessionUsed = true;
    socket.send(JSON.stringify({ ...frame, id }));
    return id;
  }

  close(): void {
    this.stopped = true;
    clearTimeout(this.reconnectTimer);
    clearTimeout(this.silenceTimer);
    this.socket?.close(1000, 'page closed the session');
    this.socket = undefined;
    this.listener.connection('closed');
  }

  private url(): string {
    const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
    const query = new URLSearchParams({ protocol_version: String(PROTOCOL_VERSION) });
    if (this.sessionId && this.sessionUsed) query.set('session_id', this.sessionId);
    return `${scheme}://${window.location.host}${WS_AGENT_PATH}?${query}`;
  }

  private open(state: ConnectionState): void {
    this.listener.connection(state);
    this.replayDone = false;
    const socket = new WebSocket(this.url());
    this.socket = socket;
    socket.addEventListener('message', (message) => {
      if (socket === this.socket) this.receive(message.data);
    });
    socket.addEventListener('close', () => {
      if (socket !== this.socket) return;
      clearTimeout(this.silenceTimer);
      this.socket = undefined;
      if (!this.stopped) this.scheduleReconnect();
    });
  }

  private scheduleReconnect(): void {
    this.listener.connection('reconnecting');
    const delay = Math.min(MAX_BACKOFF_MS, 500 * 2 ** this.attempts) * (0.5 + Math.random() / 2);
    this.attempts += 1;
    this.reconnectTimer = setTimeout(() => this.open('reconnecting'), delay);
  }

  /** No frame for a heartbeat interval: ask for one; still nothing after another: reconnect. */
  private watchSilence(): void {
    clearTimeout(this.silenceTimer);
    this.silenceTimer = setTimeout(() => {
      if (this.pingedForSilence) {
        this.socket?.close(4000, 'no heartbeat');
        return;
      }
      this.pingedForSilence = true;
      this.send({ type: 'ping' });
      this.watchSilence();
    }, this.heartbeatMs + 5_000);
  }

  private receive(data: unknown): void {
    this.pingedForSilence = false;
    this.watchSilence();
    let json: unknown;
    try {
      json = JSON.parse(String(data));
    } catch {
      json = undefined;
    }
    const parsed = serverFrameSchema.safeParse(json);
    if (!parsed.success) {
      this.listener.problem({
        code: 'frame_invalid',
        message: 'the server sent a frame this page does not understand: reload the page',
      });
      return;
    }
    const frame = parsed.data;
    if ('seq' in frame) {
      this.receiveEvent(frame);
      return;
    }
    switch (frame.type) {
      case 'hello':
        this.attempts = 0;
        this.heartbeatMs = frame.heartbeat_ms;
        this.sessionId = frame.session_id;
        this.listener.hello(frame);
        this.listener.connection('open');
        this.send({ type: 'resume', after_seq: this.safeSeq });
        break;
      case 'resume-end':
        this.replayDone = true;
        this.safeSeq = Math.max(this.safeSeq, frame.last_seq);
        this.listener.resumeEnd(frame);
        break;
      case 'turn-end':
        this.listener.turnEnd(frame);
        break;
      case 'heartbeat':
        break;
      case 'error':
        this.listener.problem({
          code: frame.code,
          message: frame.message,
          ...(frame.field ? { field: frame.field } : {}),
          ...(frame.id ? { id: frame.id } : {}),
        });
        break;
    }
  }

  private receiveEvent(frame: EventFrame): void {
    this.sessionUsed = true;
    if (this.replayDone) this.safeSeq = Math.max(this.safeSeq, frame.seq);
    if (this.seen.has(frame.seq)) return;
    this.seen.add(frame.seq);
    this.listener.event(frame);
  }
}
