/**
 * The deploy workflow: intake -> context sync -> preflight -> plan -> compliance -> dry run ->
 * approval -> execute -> validate -> close, with the failure edge back to plan after a rollback.
 */
import type { BaseCheckpointSaver } from '@langchain/langgraph';
import { END, START, StateGraph } from '@langchain/langgraph';
import { missingFields } from './deploy-request.js';
import { askApprovalNode, awaitApprovalNode } from './nodes/approval.js';
import { contextSyncNode } from './nodes/context-sync.js';
import { executeNode } from './nodes/execute.js';
import {
  askCredentialsNode,
  askFormNode,
  awaitCredentialsNode,
  awaitFormNode,
  intakeNode,
  pendingFields,
} from './nodes/intake.js';
import { complianceNode, dryRunNode, planNode } from './nodes/plan-review.js';
import { preflightNode } from './nodes/preflight.js';
import { closeNode, validateNode } from './nodes/validate-close.js';
import { DeployState, type DeployStateType } from './state.js';

/** Two failed rounds (execution or validation) and a person takes over. */
export const MAX_ATTEMPTS = 2;

function afterIntake(state: DeployStateType): 'ask-credentials' | 'ask-form' | 'context-sync' | 'preflight' {
  if (state.credentialsMissing) return 'ask-credentials';
  if (missingFields(state.request).length > 0) return 'ask-form';
  if (!state.context) return 'context-sync';
  if (pendingFields(state).length > 0) return 'ask-form';
  return 'preflight';
}

const stopOr =
  <T extends string>(next: T) =>
  (state: DeployStateType): T | 'close' =>
    state.outcome ? 'close' : next;

function afterExecute(state: DeployStateType): 'validate' | 'draft-plan' | 'close' {
  if (state.execution?.status === 'completed') return 'validate';
  return state.attempts >= MAX_ATTEMPTS ? 'close' : 'draft-plan';
}

function afterValidate(state: DeployStateType): 'close' | 'draft-plan' {
  if (state.validation?.ok) return 'close';
  return state.attempts >= MAX_ATTEMPTS ? 'close' : 'draft-plan';
}

export function buildDeployGraph(checkpointer: BaseCheckpointSaver) {
  return new StateGraph(DeployState)
    .addNode('intake', intakeNode)
    .addNode('ask-form', askFormNode)
    .addNode('await-form', awaitFormNode)
    .addNode('ask-credentials', askCredentialsNode)
    .addNode('await-credentials', awaitCredentialsNode)
    .addNode('context-sync', contextSyncNode)
    .addNode('preflight', preflightNode)
    .addNode('draft-plan', planNode)
    .addNode('compliance-review', complianceNode)
    .addNode('dry-run', dryRunNode)
    .addNode('ask-approval', askApprovalNode)
    .addNode('await-approval', awaitApprovalNode)
    .addNode('execute', executeNode)
    .addNode('validate', validateNode)
    .addNode('close', closeNode)
    .addEdge(START, 'intake')
    .addConditionalEdges('intake', afterIntake, ['ask-credentials', 'ask-form', 'context-sync', 'preflight'])
    .addEdge('ask-credentials', 'await-credentials')
    .addEdge('await-credentials', 'intake')
    .addEdge('ask-form', 'await-form')
    .addEdge('await-form', 'intake')
    .addConditionalEdges('context-sync', afterIntake, [
      'ask-credentials',
      'ask-form',
      'context-sync',
      'preflight',
    ])
    .addConditionalEdges('preflight', stopOr('draft-plan'), ['draft-plan', 'close'])
    .addEdge('draft-plan', 'compliance-review')
    .addConditionalEdges('compliance-review', stopOr('dry-run'), ['dry-run', 'close'])
    .addConditionalEdges('dry-run', stopOr('ask-approval'), ['ask-approval', 'close'])
    .addEdge('ask-approval', 'await-approval')
    .addConditionalEdges('await-approval', stopOr('execute'), ['execute', 'close'])
    .addConditionalEdges('execute', afterExecute, ['validate', 'draft-plan', 'close'])
    .addConditionalEdges('validate', afterValidate, ['close', 'draft-plan'])
    .addEdge('close', END)
    .compile({ checkpointer });
}

export type DeployGraph = ReturnType<typeof buildDeployGraph>;
