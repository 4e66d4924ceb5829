/** A session's telemetry in order: which agent ran which phase, how it ended and how long it took. */
import { type ReactNode, useId } from 'react';
import { sessionListSchema, telemetryListSchema } from '../../../src/protocol/api.js';
import { ProblemMessage } from '../components/problem-message.js';
import { useAgentSession } from '../lib/agent-session.js';
import { formatClock, formatLatency, formatTime } from '../lib/format.js';
import { navigate, paths } from '../lib/router.js';
import { useApi } from '../lib/use-api.js';

const COLUMNS = ['Time', 'Agent', 'Phase', 'Status', 'Latency', 'Error code'];

/** A value with its column's name for screen readers (the visual header row is hidden from them). */
function Cell({ label, className, children }: { label: string; className?: string; children: ReactNode }) {
  return (
    <span className={className}>
      <span className="visually-hidden">{label}: </span>
      {children}
    </span>
  );
}

export function TimelinePage({ sessionId }: { sessionId?: string }) {
  const { state } = useAgentSession();
  const chosen = sessionId ?? (state.saved ? state.sessionId : undefined);
  const sessions = useApi('/sessions', sessionListSchema);
  const telemetry = useApi(
    chosen ? `/sessions/${encodeURIComponent(chosen)}/telemetry?limit=500` : undefined,
    telemetryListSchema,
    state.turnsEnded,
  );
  const selectId = useId();
  const events = telemetry.data?.events ?? [];

  return (
    <section className="stack">
      <h1>Timeline</h1>
      <div className="field inline">
        <label htmlFor={selectId}>Session</label>
        <select
          id={selectId}
          value={chosen ?? ''}
          onChange={(event) => navigate(paths.timeline(event.target.value || undefined))}
        >
          <option value="">Choose a session…</option>
          {(sessions.data?.sessions ?? []).map((session) => (
            <option key={session.id} value={session.id}>
              {session.title || session.id}
            </option>
          ))}
        </select>
      </div>
      {sessions.error ? <ProblemMessage message={sessions.error} /> : null}
      {telemetry.error ? <ProblemMessage message={telemetry.error} /> : null}
      {!chosen ? <p>Choose a session to see what its agents did.</p> : null}
      {chosen && telemetry.data && events.length === 0 ? <p>No telemetry for this session yet.</p> : null}
      {events.length > 0 ? (
        <>
          <div className="timeline-head" aria-hidden="true">
            {COLUMNS.map((column) => (
              <span key={column}>{column}</span>
            ))}
          </div>
          <ol className="timeline" aria-label="Telemetry events">
            {events.map((event) => (
              <li key={event.id}>
                <time dateTime={event.at} title={formatTime(event.at)}>
                  {formatClock(event.at)}
                </time>
                <Cell label="Agent">{event.agent}</Cell>
                <Cell label="Phase">{event.phase}</Cell>
                <Cell label="Status" className={`status status-${event.status}`}>
                  {event.status}
                </Cell>
                <Cell label="Latency">
                  {event.latencyMs !== undefined ? formatLatency(event.latencyMs) : '—'}
                </Cell>
                <Cell label="Error code" className="error-code">
                  {event.errorCode ?? ''}
                </Cell>
              </li>
            ))}
          </ol>
        </>
      ) : null}
    </section>
  );
}
