/**
 * Many `/ws/agent` sessions at once, each a different person behind the trusted proxy header: all
 * connect and get their `hello`, then every one sends a message in the same instant, and each
 * records the time from its send to its first event frame (a frame with a `seq`).
 */
import WebSocket from 'ws';

export interface FirstEventRound {
  /** Milliseconds from send to the first event frame, one per session. */
  latencies: number[];
  /** Type of the first event frame (the same for all when the workflow is deterministic). */
  firstTypes: Set<string>;
}

interface Session {
  socket: WebSocket;
  sentAt: number;
  firstEventMs?: number;
  firstType?: string;
  firstEvent: Promise<void>;
  turnEnd: Promise<void>;
}

/** Connection and turn time limits: a session that hangs fails the round instead of the whole run. */
const CONNECT_TIMEOUT_MS = 120_000;
const TURN_TIMEOUT_MS = 300_000;

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function open(url: string, user: string, userHeader: string): Promise<Session> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers: { [userHeader]: user }, perMessageDeflate: false });
    let markFirst: () => void = () => undefined;
    let markEnd: () => void = () => undefined;
    let fail: (error: Error) => void = () => undefined;
    const session: Session = {
      socket,
      sentAt: 0,
      firstEvent: new Promise<void>((done) => {
        markFirst = done;
      }),
      turnEnd: new Promise<void>((done, rejectTurn) => {
        markEnd = done;
        fail = rejectTurn;
      }),
    };
    // Handled later; a failure before anyone awaits it must not become an unhandled rejection.
    session.turnEnd.catch(() => undefined);
    socket.on('message', (data) => {
      const receivedAt = performance.now();
      const frame = JSON.parse(String(data)) as { type: string; seq?: number; message?: string };
      if (frame.type === 'hello') resolve(session);
      else if (typeof frame.seq === 'number' && session.firstEventMs === undefined) {
        session.firstEventMs = receivedAt - session.sentAt;
        session.firstType = frame.type;
        markFirst();
      } else if (frame.type === 'turn-end') markEnd();
      else if (frame.type === 'error') fail(new Error(`${user}: ${frame.message ?? 'error frame'}`));
    });
    socket.once('error', reject);
    socket.once('close', (code) => fail(new Error(`${user}: socket closed (${code})`)));
  });
}

/** Opens `count` sessions as `<prefix>-0 ... <prefix>-(count-1)`; resolves when every `hello` arrived. */
export async function openSessions(
  url: string,
  count: number,
  prefix: string,
  userHeader: string,
): Promise<Session[]> {
  const opening = Array.from({ length: count }, (_, index) => open(url, `${prefix}-${index}`, userHeader));
  return withTimeout(Promise.all(opening), CONNECT_TIMEOUT_MS, `opening ${count} sessions`);
}

/** Every session sends `text` back to back; resolves when every turn has ended. */
export async function sendAll(sessions: Session[], text: string): Promise<FirstEventRound> {
  const frame = JSON.stringify({ type: 'user-message', text });
  for (const session of sessions) {
    session.sentAt = performance.now();
    session.socket.send(frame);
  }
  await withTimeout(
    Promise.all(sessions.map((session) => session.turnEnd)),
    TURN_TIMEOUT_MS,
    `${sessions.length} turns`,
  );
  await Promise.all(sessions.map((session) => session.firstEvent));
  return {
    latencies: sessions.map((session) => session.firstEventMs as number),
    firstTypes: new Set(sessions.map((session) => session.firstType as string)),
  };
}

export async function closeSessions(sessions: Session[]): Promise<void> {
  await Promise.all(
    sessions.map(
      (session) =>
        new Promise<void>((resolve) => {
          if (session.socket.readyState === WebSocket.CLOSED) return resolve();
          session.socket.once('close', () => resolve());
          session.socket.close();
        }),
    ),
  );
}
