/**
 * The person's chat sessions, newest first: reopen one, or start a new one. On a narrow screen the
 * list folds behind a "Sessions" toggle so the conversation keeps the width.
 */
import { useState } from 'react';
import { sessionListSchema } from '../../../src/protocol/api.js';
import { useAgentSession } from '../lib/agent-session.js';
import { formatTime } from '../lib/format.js';
import { navigate, paths } from '../lib/router.js';
import { useApi } from '../lib/use-api.js';
import { Link } from './link.js';
import { ProblemMessage } from './problem-message.js';

export function SessionSidebar() {
  const { state, open } = useAgentSession();
  const [expanded, setExpanded] = useState(false);
  const sessions = useApi('/sessions', sessionListSchema, `${state.turnsEnded}-${state.saved}`);
  const list = sessions.data?.sessions ?? [];

  const startNew = () => {
    open(undefined);
    navigate(paths.chat());
    setExpanded(false);
  };

  return (
    <aside className={`sidebar${expanded ? ' expanded' : ''}`} aria-label="Sessions">
      <div className="sidebar-top">
        <button
          type="button"
          className="sidebar-toggle"
          aria-expanded={expanded}
          aria-controls="session-list"
          onClick={() => setExpanded((value) => !value)}
        >
          Sessions
        </button>
        <button type="button" className="primary" onClick={startNew}>
          New session
        </button>
      </div>
      <div id="session-list" className="session-list">
        <h2 className="sidebar-title">Sessions</h2>
        {sessions.error ? <ProblemMessage message={sessions.error} /> : null}
        {list.length === 0 && !sessions.loading ? <p className="hint">No sessions yet.</p> : null}
        <ul>
          {list.map((session) => (
            <li key={session.id}>
              <Link
                to={paths.chat(session.id)}
                aria-current={session.id === state.sessionId ? 'true' : undefined}
                onClick={() => setExpanded(false)}
              >
                <span className="session-title">{session.title || 'Untitled session'}</span>
                <span className="session-time">{formatTime(session.updatedAt)}</span>
              </Link>
            </li>
          ))}
        </ul>
      </div>
    </aside>
  );
}
