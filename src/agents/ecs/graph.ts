/**
 * The ECS diagnose-and-repair workflow: contextualize -> triage -> plan repair -> approval ->
 * remediate -> verify -> report. Triage is read-only; the repair runs only with writes allowed
 * and the person's approval of the exact plan; every run ends with a written report.
 */
import type { BaseCheckpointSaver } from '@langchain/langgraph';
import { END, START, StateGraph } from '@langchain/langgraph';
import { askApprovalNode, awaitApprovalNode } from './nodes/approval.js';
import { askTargetNode, awaitTargetNode } from './nodes/ask-target.js';
import { contextualizeNode } from './nodes/contextualize.js';
import { planRepairNode } from './nodes/plan-repair.js';
import { remediateNode } from './nodes/remediate.js';
import { reportNode } from './nodes/report.js';
import { triageNode } from './nodes/triage.js';
import { verifyNode } from './nodes/verify.js';
import { EcsState, type EcsStateType } from './state.js';

const afterContextualize = (state: EcsStateType): 'triage' | 'ask-target' =>
  state.target ? 'triage' : 'ask-target';

/** An outcome set before the end means the workflow stops and reports. */
const stopOr =
  <T extends string>(next: T) =>
  (state: EcsStateType): T | 'report' =>
    state.outcome ? 'report' : next;

export function buildEcsGraph(checkpointer: BaseCheckpointSaver) {
  return new StateGraph(EcsState)
    .addNode('contextualize', contextualizeNode)
    .addNode('ask-target', askTargetNode)
    .addNode('await-target', awaitTargetNode)
    .addNode('triage', triageNode)
    .addNode('plan-repair', planRepairNode)
    .addNode('ask-approval', askApprovalNode)
    .addNode('await-approval', awaitApprovalNode)
    .addNode('remediate', remediateNode)
    .addNode('verify', verifyNode)
    .addNode('report', reportNode)
    .addEdge(START, 'contextualize')
    .addConditionalEdges('contextualize', afterContextualize, ['triage', 'ask-target'])
    .addEdge('ask-target', 'await-target')
    .addEdge('await-target', 'contextualize')
    .addConditionalEdges('triage', stopOr('plan-repair'), ['plan-repair', 'report'])
    .addConditionalEdges('plan-repair', stopOr('ask-approval'), ['ask-approval', 'report'])
    .addEdge('ask-approval', 'await-approval')
    .addConditionalEdges('await-approval', stopOr('remediate'), ['remediate', 'report'])
    .addConditionalEdges('remediate', stopOr('verify'), ['verify', 'report'])
    .addEdge('verify', 'report')
    .addEdge('report', END)
    .compile({ checkpointer });
}

export type EcsGraph = ReturnType<typeof buildEcsGraph>;
