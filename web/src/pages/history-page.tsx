/** Deployment history: every deployment of the person, newest first, with its status and URL. */
import { deploymentListSchema } from '../../../src/protocol/api.js';
import { Link } from '../components/link.js';
import { ProblemMessage } from '../components/problem-message.js';
import { useAgentSession } from '../lib/agent-session.js';
import { formatTime } from '../lib/format.js';
import { paths } from '../lib/router.js';
import { useApi } from '../lib/use-api.js';

export function HistoryPage() {
  const { state } = useAgentSession();
  const history = useApi('/deployments', deploymentListSchema, state.turnsEnded);
  const deployments = history.data?.deployments ?? [];
  return (
    <section className="stack">
      <h1>Deployments</h1>
      {history.error ? <ProblemMessage message={history.error} /> : null}
      {history.loading && !history.data ? <p role="status">Loading…</p> : null}
      {history.data && deployments.length === 0 ? <p>No deployments yet: ask for one in the chat.</p> : null}
      {deployments.length > 0 ? (
        <div className="table-scroll stacked-on-narrow">
          <table>
            <thead>
              <tr>
                <th scope="col">Status</th>
                <th scope="col">Target</th>
                <th scope="col">Region</th>
                <th scope="col">URL</th>
                <th scope="col">Created</th>
                <th scope="col">Details</th>
              </tr>
            </thead>
            <tbody>
              {deployments.map((deployment) => (
                <tr key={deployment.id}>
                  <td data-label="Status">
                    <span className={`status status-${deployment.status}`}>{deployment.status}</span>
                  </td>
                  <td data-label="Target">{deployment.target}</td>
                  <td data-label="Region">{deployment.region}</td>
                  <td data-label="URL">
                    {deployment.url ? (
                      <a href={deployment.url} target="_blank" rel="noreferrer noopener">
                        {deployment.url}
                      </a>
                    ) : (
                      '—'
                    )}
                  </td>
                  <td data-label="Created">{formatTime(deployment.createdAt)}</td>
                  <td data-label="Details">
                    <Link to={paths.deployment(deployment.id)}>Details</Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
