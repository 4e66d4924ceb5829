/**
 * The state of the open chat session, as a reducer over what the socket reports and what the
 * person does: the event stream (kept in seq order), user messages, answers sent from this page,
 * whether a turn runs, and the protocol problems to show.
 */
import type { EventFrame } from '../../../src/protocol/ws.js';
import type { ConnectionState, ProtocolProblem } from './agent-socket.js';
import type { LocalAnswer } from './request-answers.js';
import type { UserMessage } from './user-messages.js';

export interface ShownProblem extends ProtocolProblem {
  key: number;
}

export interface SessionState {
  sessionId: string | undefined;
  /** True once the server stores the session: it can be reopened by id. */
  saved: boolean;
  events: EventFrame[];
  messages: Array<UserMessage & { frameId?: string }>;
  /** By form_id or plan hash. */
  answers: Record<string, LocalAnswer>;
  busy: boolean;
  connection: ConnectionState;
  problems: ShownProblem[];
  /** Counts turn-ends: lists that depend on the session (sessions, history) refresh on it. */
  turnsEnded: number;
}

export type SessionAction =
  | { type: 'reset'; sessionId: string | undefined }
  | { type: 'hello'; sessionId: string; running: boolean }
  | { type: 'event'; frame: EventFrame }
  | { type: 'running'; running: boolean }
  | { type: 'turn-end' }
  | { type: 'connection'; state: ConnectionState }
  | { type: 'problem'; problem: ProtocolProblem }
  | { type: 'dismiss-problem'; key: number }
  | { type: 'transcript'; messages: UserMessage[] }
  | { type: 'sent'; text: string; frameId: string }
  | { type: 'answered'; key: string; answer: LocalAnswer };

export function initialSessionState(sessionId: string | undefined): SessionState {
  return {
    sessionId,
    saved: sessionId !== undefined,
    events: [],
    messages: [],
    answers: {},
    busy: false,
    connection: 'connecting',
    problems: [],
    turnsEnded: 0,
  };
}

/** Events arrive almost always in order; a replay can put older ones after a live one. */
function insertInOrder(events: EventFrame[], frame: EventFrame): EventFrame[] {
  const last = events.at(-1);
  if (!last || last.seq < frame.seq) return [...events, frame];
  if (events.some((event) => event.seq === frame.seq)) return events;
  return [...events, frame].sort((a, b) => a.seq - b.seq);
}

let problemCounter = 0;

/** A refused frame of ours undoes what sending it did: the message or answer did not arrive. */
function withoutRefused(state: SessionState, problem: ProtocolProblem): SessionState {
  const { id } = problem;
  if (!id) return state;
  const answers = Object.fromEntries(
    Object.entries(state.answers).filter(([, answer]) => answer.frameId !== id),
  );
  const messages = state.messages.filter((message) => message.frameId !== id);
  const ours =
    messages.length !== state.messages.length ||
    Object.keys(answers).length !== Object.keys(state.answers).length;
  // `busy` means a turn of this session runs anyway, so the page stays busy.
  return { ...state, answers, messages, busy: ours && problem.code !== 'busy' ? false : state.busy };
}

export function sessionReducer(state: SessionState, action: SessionAction): SessionState {
  switch (action.type) {
    case 'reset':
      return initialSessionState(action.sessionId);
    case 'hello':
      return {
        ...state,
        sessionId: action.sessionId,
        saved: state.saved && state.sessionId === action.sessionId,
        busy: action.running,
      };
    case 'event':
      return { ...state, saved: true, events: insertInOrder(state.events, action.frame) };
    case 'running':
      return { ...state, busy: action.running };
    case 'turn-end':
      return { ...state, busy: false, turnsEnded: state.turnsEnded + 1 };
    case 'connection':
      return { ...state, connection: action.state };
    case 'problem': {
      problemCounter += 1;
      const next = withoutRefused(state, action.problem);
      return { ...next, problems: [...next.problems.slice(-4), { ...action.problem, key: problemCounter }] };
    }
    case 'dismiss-problem':
      return { ...state, problems: state.problems.filter((problem) => problem.key !== action.key) };
    case 'transcript':
      return { ...state, messages: [...action.messages, ...state.messages] };
    case 'sent':
      return {
        ...state,
        saved: true,
        busy: true,
        messages: [
          ...state.messages,
          {
            key: `sent-${action.frameId}`,
            text: action.text,
            afterSeq: state.events.at(-1)?.seq ?? 0,
            frameId: action.frameId,
          },
        ],
      };
    case 'answered':
      return { ...state, busy: true, answers: { ...state.answers, [action.key]: action.answer } };
  }
}
