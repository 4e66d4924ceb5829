/** The deploy workflow's state, checkpointed after every node so a restart resumes where it was. */
import type { BaseMessage } from '@langchain/core/messages';
import { Annotation, messagesStateReducer } from '@langchain/langgraph';
import type { ToolPreview } from '../../tools/define-tool.js';
import { lastValue } from '../last-value.js';
import type { Plan } from '../plan.js';
import type { DeployRequest } from './deploy-request.js';
import type { ExecutionResult } from './execute-plan.js';

export interface ProjectContext {
  /** One or two paragraphs for people and models (at most 2k tokens). */
  summary: string;
  criticalFiles: string[];
  /** Stack tags such as fastapi, vite, python, node. */
  stack: string[];
  hasFrontend: boolean;
  hasBackend: boolean;
  /** Environment variable names the app reads without a default. */
  requiredEnv: string[];
}

export interface ValidationResult {
  ok: boolean;
  checks: Array<{ name: string; ok: boolean; detail: string }>;
  url?: string;
}

const replace = lastValue;

export const DeployState = Annotation.Root({
  messages: Annotation<BaseMessage[]>({ reducer: messagesStateReducer, default: () => [] }),
  request: Annotation<DeployRequest>({
    reducer: (current, next) => ({ ...current, ...next }),
    default: () => ({}),
  }),
  /** Workspace-relative folder of the project (local path or checkout). */
  projectDir: replace<string | undefined>(),
  /** No AWS credentials are available for this person yet: ask before anything else. */
  credentialsMissing: replace<boolean | undefined>(),
  context: replace<ProjectContext | undefined>(),
  account: replace<string | undefined>(),
  plan: replace<Plan | undefined>(),
  previews: replace<ToolPreview[] | undefined>(),
  deploymentId: replace<string | undefined>(),
  compliance: replace<
    { decision: 'approve' | 'veto' | 'ask'; reasonCode: string; reason: string } | undefined
  >(),
  approvedHash: replace<string | undefined>(),
  execution: replace<ExecutionResult | undefined>(),
  validation: replace<ValidationResult | undefined>(),
  /** Failed execute/validate rounds; two of them escalate to a person. */
  attempts: Annotation<number>({ reducer: (_current, next) => next, default: () => 0 }),
  /** Why the last round stopped, in plain words, for the next plan and for the person. */
  problem: replace<string | undefined>(),
  outcome: replace<'succeeded' | 'failed' | 'rejected' | 'vetoed' | 'escalated' | undefined>(),
});

export type DeployStateType = typeof DeployState.State;
export type DeployUpdate = typeof DeployState.Update;
