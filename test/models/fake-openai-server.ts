/** OpenAI's Chat Completions API (`POST /v1/chat/completions`), plain JSON or SSE, as OpenAI and Ollama serve it. */
import type { ServerResponse } from 'node:http';
import {
  argumentHalves,
  type FakeModelServer,
  type RecordedRequest,
  type ScriptedReply,
  type StreamEvent,
  startFakeModelServer,
  writeEvents,
} from './fake-model-server.js';

function usageOf(reply: ScriptedReply) {
  const { input, output } = reply.usage ?? { input: 11, output: 7 };
  return { prompt_tokens: input, completion_tokens: output, total_tokens: input + output };
}

function completion(request: RecordedRequest, reply: ScriptedReply) {
  const call = reply.toolCall;
  return {
    id: 'chatcmpl-test',
    object: 'chat.completion',
    created: 1_700_000_000,
    model: request.body.model,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: call ? null : (reply.text ?? []).join(''),
          ...(call
            ? {
                tool_calls: [
                  {
                    id: call.id,
                    type: 'function',
                    function: { name: call.name, arguments: JSON.stringify(call.args) },
                  },
                ],
              }
            : {}),
        },
        finish_reason: call ? 'tool_calls' : 'stop',
      },
    ],
    usage: usageOf(reply),
  };
}

function streamEvents(
  request: RecordedRequest,
  reply: ScriptedReply,
  response: ServerResponse,
): StreamEvent[] {
  const base = {
    id: 'chatcmpl-test',
    object: 'chat.completion.chunk',
    created: 1_700_000_000,
    model: request.body.model,
  };
  const send = (payload: object | string) => () =>
    response.write(`data: ${typeof payload === 'string' ? payload : JSON.stringify(payload)}\n\n`);
  const choice = (delta: object, finish: string | null = null) =>
    send({ ...base, choices: [{ index: 0, delta, finish_reason: finish }] });
  const events: StreamEvent[] = [{ delta: false, write: choice({ role: 'assistant', content: '' }) }];
  for (const text of reply.text ?? []) events.push({ delta: true, write: choice({ content: text }) });
  const call = reply.toolCall;
  if (call) {
    const [first, second] = argumentHalves(call.args);
    events.push({
      delta: true,
      write: choice({
        tool_calls: [
          { index: 0, id: call.id, type: 'function', function: { name: call.name, arguments: first } },
        ],
      }),
    });
    events.push({
      delta: true,
      write: choice({ tool_calls: [{ index: 0, function: { arguments: second } }] }),
    });
  }
  events.push({ delta: false, write: choice({}, call ? 'tool_calls' : 'stop') });
  if (request.body.stream_options?.include_usage)
    events.push({ delta: false, write: send({ ...base, choices: [], usage: usageOf(reply) }) });
  events.push({ delta: false, write: send('[DONE]') });
  return events;
}

export async function renderOpenAi(
  request: RecordedRequest,
  reply: ScriptedReply,
  response: ServerResponse,
): Promise<void> {
  if (request.method !== 'POST' || !request.path.endsWith('/chat/completions')) {
    response.writeHead(404, { 'content-type': 'application/json' });
    response.end(
      JSON.stringify({ error: { message: `no route ${request.path}`, type: 'invalid_request_error' } }),
    );
    return;
  }
  if (reply.status) {
    response.writeHead(reply.status, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ error: { message: 'The server had an error', type: 'server_error' } }));
    return;
  }
  if (!request.body.stream) {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify(completion(request, reply)));
    return;
  }
  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  await writeEvents(streamEvents(request, reply, response), reply);
  response.end();
}

export function startFakeOpenAi(
  script: (request: RecordedRequest) => ScriptedReply,
): Promise<FakeModelServer> {
  return startFakeModelServer(renderOpenAi, script);
}
