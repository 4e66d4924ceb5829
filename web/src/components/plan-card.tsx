/**
 * The plan card of an approval-request: summary, risk, the ordered steps with their previews as a
 * diff, the plan hash, and Approve / Reject. The answer names the plan hash, so a person approves
 * exactly the plan shown here.
 */
import { type ReactNode, useId, useState } from 'react';
import type { PlanStep } from '../../../src/protocol/events.js';
import { useAgentSession } from '../lib/agent-session.js';
import type { ChatItem } from '../lib/conversation.js';
import { shortHash } from '../lib/format.js';
import { PreviewView } from './preview-view.js';
import { RiskBadge } from './risk-badge.js';

type ApprovalItem = Extract<ChatItem, { kind: 'approval' }>;

const OUTCOME = { approve: 'Approved', reject: 'Rejected' } as const;

function StepView({ step, children }: { step: PlanStep; children: ReactNode }) {
  return (
    <li className="plan-step">
      <div className="step-head">
        <code className="tool-name">{step.tool}</code>
        <RiskBadge risk={step.risk} />
      </div>
      <p>{step.description}</p>
      {children}
      <details className="arguments">
        <summary>Arguments</summary>
        <pre>{JSON.stringify(step.args, null, 2)}</pre>
      </details>
    </li>
  );
}

export function PlanCard({ item }: { item: ApprovalItem }) {
  const { request, answered, decision } = item;
  const { state, answer } = useAgentSession();
  const [reason, setReason] = useState('');
  const reasonId = useId();
  const disabled = answered || state.busy;

  const decide = (choice: 'approve' | 'reject') => {
    const text = reason.trim();
    answer(
      request.plan_hash,
      {
        kind: 'approval',
        plan_hash: request.plan_hash,
        decision: choice,
        ...(choice === 'reject' && text ? { reason: text } : {}),
      },
      { decision: choice },
    );
  };

  return (
    <section className="card plan-card" aria-label="Plan approval">
      <div className="card-head">
        <h3>Plan</h3>
        <RiskBadge risk={request.risk} />
        <span className="plan-hash" title={`plan hash ${request.plan_hash}`}>
          plan {shortHash(request.plan_hash)}
        </span>
      </div>
      <p className="plan-summary">{request.summary}</p>
      <ol className="plan-steps">
        {request.steps.map((step, index) => {
          const preview = request.previews[index];
          return (
            <StepView key={step.id} step={step}>
              {preview ? <PreviewView preview={preview} /> : null}
            </StepView>
          );
        })}
      </ol>
      {answered ? (
        <p className={`answered decision-${decision ?? 'unknown'}`} role="status">
          {decision ? OUTCOME[decision] : 'Answered'}
        </p>
      ) : (
        <div className="field">
          <label htmlFor={reasonId}>Reason for rejecting (optional)</label>
          <input
            id={reasonId}
            value={reason}
            onChange={(event) => setReason(event.target.value)}
            disabled={disabled}
          />
        </div>
      )}
      <div className="actions">
        <button type="button" className="primary" disabled={disabled} onClick={() => decide('approve')}>
          Approve plan
        </button>
        <button type="button" className="danger" disabled={disabled} onClick={() => decide('reject')}>
          Reject plan
        </button>
      </div>
    </section>
  );
}
