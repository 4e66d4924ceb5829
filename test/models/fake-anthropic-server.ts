/** Anthropic's Messages API (`POST /v1/messages`), plain JSON or server-sent events. */
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

const usageOf = (reply: ScriptedReply) => reply.usage ?? { input: 13, output: 9 };

function message(request: RecordedRequest, reply: ScriptedReply) {
  const call = reply.toolCall;
  const { input, output } = usageOf(reply);
  return {
    id: 'msg_test',
    type: 'message',
    role: 'assistant',
    model: request.body.model,
    content: call
      ? [{ type: 'tool_use', id: call.id, name: call.name, input: call.args }]
      : [{ type: 'text', text: (reply.text ?? []).join('') }],
    stop_reason: call ? 'tool_use' : 'end_turn',
    stop_sequence: null,
    usage: { input_tokens: input, output_tokens: output },
  };
}

function streamEvents(
  request: RecordedRequest,
  reply: ScriptedReply,
  response: ServerResponse,
): StreamEvent[] {
  const send = (type: string, payload: object) => () =>
    response.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...payload })}\n\n`);
  const { input, output } = usageOf(reply);
  const start = {
    ...message(request, reply),
    content: [],
    stop_reason: null,
    usage: { input_tokens: input, output_tokens: 1 },
  };
  const events: StreamEvent[] = [{ delta: false, write: send('message_start', { message: start }) }];
  const call = reply.toolCall;
  if (call) {
    const [first, second] = argumentHalves(call.args);
    events.push({
      delta: false,
      write: send('content_block_start', {
        index: 0,
        content_block: { type: 'tool_use', id: call.id, name: call.name, input: {} },
      }),
    });
    for (const partial_json of [first, second])
      events.push({
        delta: true,
        write: send('content_block_delta', { index: 0, delta: { type: 'input_json_delta', partial_json } }),
      });
  } else {
    events.push({
      delta: false,
      write: send('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
    });
    for (const text of reply.text ?? [])
      events.push({
        delta: true,
        write: send('content_block_delta', { index: 0, delta: { type: 'text_delta', text } }),
      });
  }
  events.push({ delta: false, write: send('content_block_stop', { index: 0 }) });
  events.push({
    delta: false,
    write: send('message_delta', {
      delta: { stop_reason: call ? 'tool_use' : 'end_turn', stop_sequence: null },
      usage: { output_tokens: output },
    }),
  });
  events.push({ delta: false, write: send('message_stop', {}) });
  return events;
}

export async function renderAnthropic(
  request: RecordedRequest,
  reply: ScriptedReply,
  response: ServerResponse,
): Promise<void> {
  if (request.method !== 'POST' || !request.path.endsWith('/v1/messages')) {
    response.writeHead(404, { 'content-type': 'application/json' });
    response.end(
      JSON.stringify({ type: 'error', error: { type: 'not_found_error', message: request.path } }),
    );
    return;
  }
  if (reply.status) {
    response.writeHead(reply.status, { 'content-type': 'application/json' });
    response.end(
      JSON.stringify({ type: 'error', error: { type: 'api_error', message: 'Internal server error' } }),
    );
    return;
  }
  if (!request.body.stream) {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify(message(request, reply)));
    return;
  }
  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  await writeEvents(streamEvents(request, reply, response), reply);
  response.end();
}

export function startFakeAnthropic(
  script: (request: RecordedRequest) => ScriptedReply,
): Promise<FakeModelServer> {
  return startFakeModelServer(renderAnthropic, script);
}
