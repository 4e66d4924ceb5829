/**
 * The open chat session for the whole app: one AgentSocket, its state, and the actions pages and
 * the credentials dialog take on it. It lives above the pages so a deployment keeps streaming
 * while the person looks at the history, and the session id survives a reload (sessionStorage).
 */
import {
  createContext,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useReducer,
  useRef,
} from 'react';
import { transcriptSchema } from '../../../src/protocol/api.js';
import type { InterruptAnswer } from '../../../src/protocol/events.js';
import { AgentSocket } from './agent-socket.js';
import { ApiFailure, apiGet, messageOf } from './api.js';
import type { LocalAnswer } from './request-answers.js';
import { matchRoute, navigate, paths } from './router.js';
import { initialSessionState, type SessionState, sessionReducer } from './session-state.js';
import { userMessagesOf } from './user-messages.js';

const STORAGE_KEY = 'aws-copilot.session';

export function storedSessionId(): string | undefined {
  try {
    return window.sessionStorage.getItem(STORAGE_KEY) ?? undefined;
  } catch {
    return undefined;
  }
}

function storeSessionId(sessionId: string | undefined): void {
  try {
    if (sessionId) window.sessionStorage.setItem(STORAGE_KEY, sessionId);
    else window.sessionStorage.removeItem(STORAGE_KEY);
  } catch {
    // Storage can be disabled; the URL still carries the session.
  }
}

export interface AgentSession {
  state: SessionState;
  /** Opens a stored session, or a new one without an id. */
  open(sessionId: string | undefined): void;
  sendMessage(text: string): boolean;
  /** Answers a request; `key` is its form_id or plan hash. */
  answer(key: string, answer: InterruptAnswer, local?: Omit<LocalAnswer, 'frameId'>): boolean;
  dismissProblem(key: number): void;
}

const AgentSessionContext = createContext<AgentSession | undefined>(undefined);

export function AgentSessionProvider({
  initialSessionId,
  children,
}: {
  initialSessionId?: string;
  children: ReactNode;
}) {
  const [state, dispatch] = useReducer(sessionReducer, initialSessionId, initialSessionState);
  const socketRef = useRef<AgentSocket | undefined>(undefined);
  const generation = useRef(0);

  const open = useCallback((sessionId: string | undefined) => {
    generation.current += 1;
    const mine = generation.current;
    socketRef.current?.close();
    socketRef.current = undefined;
    dispatch({ type: 'reset', sessionId });
    const connect = (id: string | undefined) => {
      if (mine !== generation.current) return;
      const socket = new AgentSocket(
        {
          hello: (frame) => dispatch({ type: 'hello', sessionId: frame.session_id, running: frame.running }),
          event: (frame) => dispatch({ type: 'event', frame }),
          turnEnd: () => dispatch({ type: 'turn-end' }),
          resumeEnd: (frame) => dispatch({ type: 'running', running: frame.running }),
          problem: (problem) => dispatch({ type: 'problem', problem }),
          connection: (connection) => dispatch({ type: 'connection', state: connection }),
        },
        id,
      );
      socketRef.current = socket;
      socket.connect();
    };
    if (!sessionId) {
      storeSessionId(undefined);
      connect(undefined);
      return;
    }
    apiGet(`/sessions/${encodeURIComponent(sessionId)}`, transcriptSchema).then(
      (transcript) => {
        if (mine !== generation.current) return;
        dispatch({ type: 'transcript', messages: userMessagesOf(transcript.turns) });
        connect(sessionId);
      },
      (error: unknown) => {
        if (mine !== generation.current) return;
        if (error instanceof ApiFailure && error.status === 404) {
          dispatch({ type: 'reset', sessionId: undefined });
          dispatch({
            type: 'problem',
            problem: { code: 'not_found', message: `${error.message}: a new session was started` },
          });
          storeSessionId(undefined);
          // The address must not name the missing session any more, or the chat would open it again.
          if (matchRoute(window.location.href).page === 'chat') navigate(paths.chat(), { replace: true });
          connect(undefined);
          return;
        }
        dispatch({ type: 'problem', problem: { code: 'transcript_unavailable', message: messageOf(error) } });
        connect(sessionId);
      },
    );
  }, []);

  useEffect(() => {
    open(initialSessionId);
    return () => {
      generation.current += 1;
      socketRef.current?.close();
    };
  }, [open, initialSessionId]);

  useEffect(() => {
    if (state.saved && state.sessionId) storeSessionId(state.sessionId);
  }, [state.saved, state.sessionId]);

  const notConnected = useCallback(() => {
    dispatch({
      type: 'problem',
      problem: {
        code: 'not_connected',
        message: 'not connected to the server: wait for it to reconnect and try again',
      },
    });
    return false;
  }, []);

  const value = useMemo<AgentSession>(
    () => ({
      state,
      open,
      sendMessage: (text) => {
        const frameId = socketRef.current?.send({ type: 'user-message', text });
        if (!frameId) return notConnected();
        dispatch({ type: 'sent', text, frameId });
        return true;
      },
      answer: (key, answer, local) => {
        const frameId = socketRef.current?.send({ type: 'interrupt-answer', answer });
        if (!frameId) return notConnected();
        dispatch({ type: 'answered', key, answer: { ...local, frameId } });
        return true;
      },
      dismissProblem: (key) => dispatch({ type: 'dismiss-problem', key }),
    }),
    [state, open, notConnected],
  );
  return <AgentSessionContext.Provider value={value}>{children}</AgentSessionContext.Provider>;
}

export function useAgentSession(): AgentSession {
  const session = useContext(AgentSessionContext);
  if (!session) throw new Error('useAgentSession needs an AgentSessionProvider above it');
  return session;
}
