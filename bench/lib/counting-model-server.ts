/**
 * A local OpenAI-compatible server (`POST /v1/chat/completions`) that counts the o200k input
 * tokens of every request body it receives (messages and tool schemas, OpenAI's counting recipe)
 * and answers with what the project's offline model decides for that same request, in OpenAI's
 * wire format (streamed when asked), so a whole workflow runs against it as against a hosted model.
 */
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  AIMessage,
  type BaseMessage,
  HumanMessage,
  SystemMessage,
  ToolMessage,
} from '@langchain/core/messages';
import { OfflineChatModel } from '../../src/models/offline/offline-chat-model.js';
import { countMessageTokens, countOutputTokens, type ToolSchema } from '../../src/models/token-counter.js';
import type { RecordedRequest, ScriptedReply } from '../../test/models/fake-model-server.js';
import { renderOpenAi } from '../../test/models/fake-openai-server.js';

/** One request as counted. */
export interface CountedRequest {
  inputTokens: number;
  /** Of which the tool schemas. */
  toolTokens: number;
  messages: number;
  /** Names of the tools sent, e.g. `route`. */
  tools: string[];
  /** The start of the system prompt: which agent asked. */
  system: string;
  /** SHA-256 of the messages and tools sent: equal digests are the same request sent again. */
  digest: string;
}

export interface CountingModelServer {
  /** The base URL to configure (`.../v1`). */
  baseUrl: string;
  requests: CountedRequest[];
  close(): Promise<void>;
}

interface WireToolCall {
  id: string;
  function: { name: string; arguments: string };
}

interface WireMessage {
  role: string;
  content?: string | Array<{ type: string; text?: string }> | null;
  tool_calls?: WireToolCall[];
  tool_call_id?: string;
}

interface WireTool {
  type: 'function';
  function: { name: string; description?: string; parameters?: Record<string, unknown> };
}

const textOf = (content: WireMessage['content']): string =>
  typeof content === 'string'
    ? content
    : (content ?? []).map((block) => (block.type === 'text' ? (block.text ?? '') : '')).join('');

/** OpenAI's message shapes back to LangChain's, so the offline model and the counter read them. */
function toMessages(wire: WireMessage[]): BaseMessage[] {
  return wire.map((message) => {
    const text = textOf(message.content);
    switch (message.role) {
      case 'system':
      case 'developer':
        return new SystemMessage(text);
      case 'assistant':
        return new AIMessage({
          content: text,
          tool_calls: (message.tool_calls ?? []).map((call) => ({
            id: call.id,
            name: call.function.name,
            args: JSON.parse(call.function.arguments || '{}') as Record<string, unknown>,
          })),
        });
      case 'tool':
        return new ToolMessage({ content: text, tool_call_id: message.tool_call_id ?? '' });
      default:
        return new HumanMessage(text);
    }
  });
}

const toolSchemaOf = (tool: WireTool): ToolSchema => ({
  name: tool.function.name,
  description: tool.function.description ?? '',
  parameters: tool.function.parameters ?? {},
});

async function answer(body: {
  messages: WireMessage[];
  tools?: WireTool[];
  tool_choice?: unknown;
}): Promise<{ reply: ScriptedReply; counted: CountedRequest }> {
  const messages = toMessages(body.messages);
  const tools = body.tools ?? [];
  const schemas = tools.map(toolSchemaOf);
  const inputTokens = countMessageTokens(messages, schemas);
  const model = new OfflineChatModel({});
  const runnable =
    tools.length > 0 ? model.bindTools(tools, { tool_choice: body.tool_choice as never }) : model;
  const message = await runnable.invoke(messages);
  const call = message.tool_calls?.[0];
  const usage = { input: inputTokens, output: countOutputTokens(message) };
  const reply: ScriptedReply = call
    ? { toolCall: { id: call.id ?? 'call_bench', name: call.name, args: call.args }, usage }
    : { text: [typeof message.content === 'string' ? message.content : ''], usage };
  const system = body.messages.find((entry) => entry.role === 'system' || entry.role === 'developer');
  return {
    reply,
    counted: {
      inputTokens,
      toolTokens: inputTokens - countMessageTokens(messages),
      messages: messages.length,
      tools: schemas.map((schema) => schema.name),
      system: textOf(system?.content).slice(0, 80),
      digest: createHash('sha256')
        .update(JSON.stringify([body.messages, tools]))
        .digest('hex'),
    },
  };
}

export async function startCountingModelServer(): Promise<CountingModelServer> {
  const requests: CountedRequest[] = [];
  const server = createServer((incoming, response) => {
    const parts: Buffer[] = [];
    incoming.on('data', (part: Buffer) => parts.push(part));
    incoming.on('end', () => {
      const request: RecordedRequest = {
        method: incoming.method ?? 'GET',
        path: incoming.url ?? '/',
        headers: incoming.headers,
        body: parts.length > 0 ? JSON.parse(Buffer.concat(parts).toString('utf8')) : undefined,
      };
      const handled = request.path.endsWith('/chat/completions')
        ? answer(request.body).then(({ reply, counted }) => {
            requests.push(counted);
            return reply;
          })
        : Promise.resolve({});
      handled
        .then((reply) => renderOpenAi(request, reply, response))
        .catch((error: unknown) => {
          response.writeHead(500, { 'content-type': 'application/json' });
          response.end(
            JSON.stringify({ error: { message: (error as Error).message, type: 'server_error' } }),
          );
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
