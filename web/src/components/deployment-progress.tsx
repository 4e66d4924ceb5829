/**
 * Live progress of one deployment: each step with its state and time as step-start / step-end
 * events arrive, then the outcome with the deployed URL and a link to the deployment in history.
 */
import type { ChatItem, StepState } from '../lib/conversation.js';
import { formatLatency } from '../lib/format.js';
import { paths } from '../lib/router.js';
import { Link } from './link.js';

type DeploymentItem = Extract<ChatItem, { kind: 'deployment' }>;

const FINISHED_WELL: StepState[] = ['completed', 'skipped'];

function stateClass(state: StepState): string {
  if (state === 'running') return 'state-running';
  return FINISHED_WELL.includes(state) ? 'state-ok' : 'state-bad';
}

export function DeploymentProgress({ item }: { item: DeploymentItem }) {
  const { steps, end } = item;
  return (
    <section
      className={`card progress-card${end ? ` ended-${end.status}` : ''}`}
      aria-label="Deployment progress"
    >
      <h3>Deployment progress</h3>
      {steps.length > 0 ? (
        <ol className="steps">
          {steps.map((step) => (
            <li key={step.stepId} className={stateClass(step.state)}>
              <span className="step-index">
                {step.index}/{step.total}
              </span>{' '}
              <code className="tool-name">{step.tool}</code> <span className="step-state">{step.state}</span>
              {step.latencyMs !== undefined ? (
                <span className="step-time"> {formatLatency(step.latencyMs)}</span>
              ) : null}
              {step.detail ? <p className="hint">{step.detail}</p> : null}
            </li>
          ))}
        </ol>
      ) : null}
      {end ? (
        <div className="deployment-end">
          <p>
            <strong className={`status status-${end.status}`}>Status: {end.status}</strong>
          </p>
          {/* The summary itself is the assistant's closing message, right below the card. */}
          {end.url ? (
            <p>
              URL:{' '}
              <a href={end.url} target="_blank" rel="noreferrer noopener">
                {end.url}
              </a>
            </p>
          ) : null}
          <p>
            <Link to={paths.deployment(end.deployment_id)}>View deployment in history</Link>
          </p>
        </div>
      ) : (
        <p className="hint">Running…</p>
      )}
    </section>
  );
}
