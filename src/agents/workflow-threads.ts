/**
 * The workflow graphs (deploy, ECS, one tool call) and their threads: which thread a session
 * started last, where it stands between turns, and what a turn's input becomes for the graph.
 */
import { HumanMessage } from '@langchain/core/messages';
import type { BaseCheckpointSaver } from '@langchain/langgraph';
import { Command } from '@langchain/langgraph';
import type { EventRecord } from '../store/ports.js';
import { buildDeployGraph } from './deploy/graph.js';
import { buildEcsGraph } from './ecs/graph.js';
import type { Workflow } from './router.js';
import { buildToolGraph } from './tool/graph.js';
import type { TurnInput } from './turn-journal.js';

export interface ThreadPointer {
  workflow: Workflow;
  threadId: string;
}

/** What ChatSessions needs of a compiled workflow graph. */
export interface WorkflowGraph {
  invoke(input: unknown, config: Record<string, unknown>): Promise<unknown>;
  getState(config: Record<string, unknown>): Promise<{
    next: readonly string[];
    tasks: ReadonlyArray<{ interrupts: ReadonlyArray<{ value?: unknown }> }>;
    config?: { configurable?: { checkpoint_id?: string } };
    values?: unknown;
  }>;
}

/** Where a workflow thread stands between turns. */
export interface ThreadState {
  /** The checkpoint it is at; null before its first. */
  checkpointId: string | null;
  /** What it waits for when it paused for the person (a form, credentials, an approval). */
  waitingFor: unknown;
  /** Steps are due that no person holds up: the process died mid-turn. */
  unfinishedSteps: boolean;
  /** The workflow reached its end: nothing waits and nothing is due. */
  ended: boolean;
  values: unknown;
}

/** Workflows that run as graphs; the others answer directly. */
type GraphWorkflow = 'deploy' | 'ecs' | 'tool';

export class WorkflowThreads {
  private readonly graphs: Record<GraphWorkflow, WorkflowGraph>;

  constructor(checkpointer: BaseCheckpointSaver) {
    this.graphs = {
      deploy: buildDeployGraph(checkpointer) as unknown as WorkflowGraph,
      ecs: buildEcsGraph(checkpointer) as unknown as WorkflowGraph,
      tool: buildToolGraph(checkpointer) as unknown as WorkflowGraph,
    };
  }

  graphOf(pointer: ThreadPointer): WorkflowGraph {
    return this.graphs[pointer.workflow as GraphWorkflow];
  }

  async state(pointer: ThreadPointer): Promise<ThreadState> {
    const state = await this.graphOf(pointer).getState({ configurable: { thread_id: pointer.threadId } });
    const waitingFor = state.tasks.flatMap((task) => task.interrupts.map((item) => item.value))[0];
    return {
      checkpointId: state.config?.configurable?.checkpoint_id ?? null,
      waitingFor,
      unfinishedSteps: state.next.length > 0 && !state.tasks.some((task) => task.interrupts.length > 0),
      ended: state.next.length === 0,
      values: state.values,
    };
  }
}

/** The workflow thread a session's events started last; the chat workflow has none. */
export function lastThread(records: EventRecord[]): ThreadPointer | undefined {
  const last = records.filter((record) => record.type === 'thread-start').at(-1);
  const pointer = last?.payload as ThreadPointer | undefined;
  return pointer && pointer.workflow !== 'chat' ? pointer : undefined;
}

/** What the graph is invoked with for a turn's input. */
export function graphInput(input: TurnInput | 'continued'): unknown {
  if (input === 'continued') return null;
  if (input.kind === 'message') return { messages: [new HumanMessage(input.text)] };
  const { answer } = input;
  const resume = answer.kind === 'form' ? { values: answer.values } : answer;
  return new Command({
    resume,
    ...(input.text ? { update: { messages: [new HumanMessage(input.text)] } } : {}),
  });
}
