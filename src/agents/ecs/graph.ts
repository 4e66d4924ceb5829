/** Placeholder: the ECS diagnose-and-repair graph is being written (see src/agents/ecs/). */
import type { BaseCheckpointSaver } from '@langchain/langgraph';
import { END, MessagesAnnotation, START, StateGraph } from '@langchain/langgraph';

export function buildEcsGraph(checkpointer: BaseCheckpointSaver) {
  return new StateGraph(MessagesAnnotation)
    .addNode('report', async () => ({}))
    .addEdge(START, 'report')
    .addEdge('report', END)
    .compile({ checkpointer });
}
