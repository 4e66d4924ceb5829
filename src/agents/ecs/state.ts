/** The ECS workflow's state, checkpointed after every node so a paused approval survives a restart. */
import type { BaseMessage } from '@langchain/core/messages';
import { Annotation, messagesStateReducer } from '@langchain/langgraph';
import type { ToolPreview } from '../../tools/define-tool.js';
import type { ExecutionResult } from '../deploy/execute-plan.js';
import { lastValue } from '../last-value.js';
import type { Plan } from '../plan.js';
import type { EcsTarget, EcsTargetDraft, TargetField } from './ecs-target.js';
import type { Hypothesis, TriageEvidence } from './hypotheses.js';

export interface TimelineEntry {
  at: string;
  phase: string;
  text: string;
}

export interface VerificationResult {
  ok: boolean;
  checks: Array<{ name: string; ok: boolean; detail: string }>;
}

export type EcsOutcome =
  | 'repaired'
  | 'verification-failed'
  | 'repair-failed'
  | 'rejected'
  | 'not-applied'
  | 'no-change'
  | 'preview-failed'
  | 'vetoed'
  | 'not-found';

const replace = lastValue;

export const EcsState = Annotation.Root({
  messages: Annotation<BaseMessage[]>({ reducer: messagesStateReducer, default: () => [] }),
  /** What the person typed into forms; it wins over what the model read from the chat. */
  given: Annotation<EcsTargetDraft>({
    reducer: (current, next) => ({ ...current, ...next }),
    default: () => ({}),
  }),
  /** The service, once it is known to exist. */
  target: replace<EcsTarget | undefined>(),
  /** Fields still to ask for, with the names discovery found for each. */
  pending: replace<
    | {
        fields: TargetField[];
        options: Partial<Record<TargetField, string[]>>;
        draft: EcsTargetDraft;
        note: string;
      }
    | undefined
  >(),
  evidence: replace<TriageEvidence | undefined>(),
  hypotheses: replace<Hypothesis[] | undefined>(),
  plan: replace<Plan | undefined>(),
  rationale: replace<string | undefined>(),
  successCriteria: replace<string[] | undefined>(),
  previews: replace<ToolPreview[] | undefined>(),
  /** The deployment record (target `ecs-repair`) that journals the remediation. */
  deploymentId: replace<string | undefined>(),
  approvedHash: replace<string | undefined>(),
  execution: replace<ExecutionResult | undefined>(),
  verification: replace<VerificationResult | undefined>(),
  /** Why the workflow stopped early, in plain words. */
  problem: replace<string | undefined>(),
  outcome: replace<EcsOutcome | undefined>(),
  timeline: Annotation<TimelineEntry[]>({
    reducer: (current, next) => [...current, ...next],
    default: () => [],
  }),
});

export type EcsStateType = typeof EcsState.State;
export type EcsUpdate = typeof EcsState.Update;

/** One timeline line for the closing report. */
export function moment(phase: string, text: string): TimelineEntry[] {
  return [{ at: new Date().toISOString(), phase, text }];
}
