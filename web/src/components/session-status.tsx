/**
 * Under the conversation: whether a turn runs (and which agent works), the connection when it is
 * not open, and the protocol errors the server sent (code and message) until dismissed.
 */
import { useMemo } from 'react';
import { useAgentSession } from '../lib/agent-session.js';
import { currentActivity } from '../lib/conversation.js';

const CONNECTION_TEXT = {
  connecting: 'Connecting…',
  reconnecting: 'Connection lost: reconnecting…',
  closed: 'Disconnected',
  open: '',
} as const;

export function SessionStatus() {
  const { state, dismissProblem } = useAgentSession();
  const activity = useMemo(() => currentActivity(state.events), [state.events]);
  const connection = CONNECTION_TEXT[state.connection];
  return (
    <div className="session-status">
      <p className="status-line" role="status">
        {state.busy ? (
          <span className="busy">
            <span className="spinner" aria-hidden="true" />
            Working{activity ? `: ${activity.node} (${activity.agent})` : '…'}
          </span>
        ) : null}
        {connection ? <span className="connection">{connection}</span> : null}
      </p>
      {state.problems.length > 0 ? (
        <ul className="problems" aria-label="Errors">
          {state.problems.map((problem) => (
            <li key={problem.key} role="alert">
              <code>{problem.code}</code> {problem.message}
              <button type="button" className="link-button" onClick={() => dismissProblem(problem.key)}>
                Dismiss
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
