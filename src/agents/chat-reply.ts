/**
 * A plain answer for a message that asks for no workflow: what aws-copilot can do, in the model's
 * words when it has some, streamed as the model produces them.
 */
import { HumanMessage, SystemMessage } from '@langchain/core/messages';
import { type AgentRuntime, type SessionContext, sessionModel } from './runtime.js';
import { say } from './say.js';

const HELP =
  'I can deploy an application to AWS (say "deploy my app from ./path to us-east-1 on Lambda"), diagnose and repair an ECS service ("my api service on cluster prod is failing"), or run one AWS action ("list my EC2 instances in us-east-1").';

export async function chatReply(runtime: AgentRuntime, context: SessionContext, text: string): Promise<void> {
  let answer = '';
  try {
    const stream = await sessionModel(runtime, context).stream([
      new SystemMessage(
        `You are aws-copilot, an assistant for deploying to AWS and keeping services healthy. ${HELP} Answer briefly.`,
      ),
      new HumanMessage(text),
    ]);
    for await (const chunk of stream) {
      const piece = typeof chunk.content === 'string' ? chunk.content : '';
      if (!piece) continue;
      answer += piece;
      await context.emit({ type: 'message-delta', role: 'assistant', text: piece });
    }
  } catch {
    // A model that fails keeps what it already said; one that said nothing gets the help text.
  }
  if (answer.trim()) await context.emit({ type: 'message-end', role: 'assistant', text: answer });
  else await say(context, HELP);
}
