/** Picks the workflow for a message: deploy, ECS diagnosis, a single tool, or plain chat. */
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { HumanMessage, SystemMessage } from '@langchain/core/messages';
import { z } from 'zod';

export const WORKFLOWS = ['deploy', 'ecs', 'tool', 'chat'] as const;
export type Workflow = (typeof WORKFLOWS)[number];

const routeTool = {
  name: 'route',
  description: 'Choose how to handle the request.',
  schema: z.object({
    workflow: z
      .enum(WORKFLOWS)
      .describe(
        'deploy: deploy, ship or release an application, project, repository or folder to AWS (Lambda, EC2, S3 static site, ECS Fargate), even when the request also names its AMI, bucket, role or region; ecs: diagnose or repair an ECS service that is slow, failing, crashing or not running; tool: one explicit AWS action (launch, list, upload, stop...); chat: anything else',
      ),
  }),
};

const ROUTER_PROMPT =
  'You are the Conversation Orchestrator of aws-copilot. Read the latest request and choose the workflow with the route tool.';

export async function routeMessage(model: BaseChatModel, text: string): Promise<Workflow> {
  try {
    const bound = model.bindTools?.([routeTool], { tool_choice: routeTool.name });
    const answer = await bound?.invoke([new SystemMessage(ROUTER_PROMPT), new HumanMessage(text)]);
    const workflow = answer?.tool_calls?.[0]?.args?.workflow;
    return (WORKFLOWS as readonly string[]).includes(workflow) ? (workflow as Workflow) : 'chat';
  } catch {
    return 'chat';
  }
}
