/** One deployment: its outcome and URL, the plan it ran, the step journal and its session's reports. */
import { z } from 'zod';
import { deploymentDetailSchema } from '../../../src/protocol/api.js';
import { Link } from '../components/link.js';
import { ProblemMessage } from '../components/problem-message.js';
import { formatTime } from '../lib/format.js';
import { paths } from '../lib/router.js';
import { useApi } from '../lib/use-api.js';

/** The API leaves the stored plan open (`unknown`); this page shows what it recognises of it. */
const storedPlanSchema = z.object({
  summary: z.string().optional(),
  steps: z
    .array(
      z.object({
        id: z.string(),
        tool: z.string(),
        description: z.string().optional(),
        risk: z.string().optional(),
      }),
    )
    .optional(),
});

export function DeploymentPage({ deploymentId }: { deploymentId: string }) {
  const answer = useApi(`/deployments/${encodeURIComponent(deploymentId)}`, deploymentDetailSchema);
  const detail = answer.data;
  const plan = detail ? storedPlanSchema.safeParse(detail.deployment.plan) : undefined;
  return (
    <article className="stack">
      <p>
        <Link to={paths.history()}>← All deployments</Link>
      </p>
      <h1>Deployment</h1>
      {answer.error ? <ProblemMessage message={answer.error} /> : null}
      {answer.loading && !detail ? <p role="status">Loading…</p> : null}
      {detail ? (
        <>
          <dl className="facts">
            <dt>Status</dt>
            <dd>
              <span className={`status status-${detail.deployment.status}`}>{detail.deployment.status}</span>
            </dd>
            <dt>Target</dt>
            <dd>
              {detail.deployment.target} in {detail.deployment.region}
            </dd>
            <dt>URL</dt>
            <dd>
              {detail.deployment.url ? (
                <a href={detail.deployment.url} target="_blank" rel="noreferrer noopener">
                  {detail.deployment.url}
                </a>
              ) : (
                'none'
              )}
            </dd>
            <dt>Created</dt>
            <dd>{formatTime(detail.deployment.createdAt)}</dd>
            <dt>Conversation</dt>
            <dd>
              <Link to={paths.chat(detail.deployment.sessionId)}>Open the session</Link>
            </dd>
          </dl>

          <h2>Plan</h2>
          {plan?.success && plan.data.summary ? <p>{plan.data.summary}</p> : null}
          {plan?.success && plan.data.steps?.length ? (
            <ol className="plan-steps">
              {plan.data.steps.map((step) => (
                <li key={step.id}>
                  <code className="tool-name">{step.tool}</code> {step.description}
                </li>
              ))}
            </ol>
          ) : (
            <p className="hint">No plan recorded.</p>
          )}

          <h2>Journal</h2>
          {detail.journal.length === 0 ? (
            <p className="hint">No step ran.</p>
          ) : (
            <div className="table-scroll">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Step</th>
                    <th scope="col">Tool</th>
                    <th scope="col">Status</th>
                    <th scope="col">Error</th>
                    <th scope="col">Time</th>
                  </tr>
                </thead>
                <tbody>
                  {detail.journal.map((entry) => (
                    <tr key={`${entry.stepId}-${entry.status}-${entry.at}`}>
                      <td>{entry.stepId}</td>
                      <td>
                        <code>{entry.tool}</code>
                      </td>
                      <td>{entry.status}</td>
                      <td>{entry.error ?? '—'}</td>
                      <td>{formatTime(entry.at)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}

          <h2>Reports</h2>
          {detail.reports.length === 0 ? (
            <p className="hint">No reports for this deployment's session.</p>
          ) : (
            <ul>
              {detail.reports.map((report) => (
                <li key={report.id}>
                  <Link to={paths.report(report.id)}>{report.name}</Link>{' '}
                  <span className="hint">{formatTime(report.at)}</span>
                </li>
              ))}
            </ul>
          )}
        </>
      ) : null}
    </article>
  );
}
