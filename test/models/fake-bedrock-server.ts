/**
 * Bedrock Runtime's Converse API: `POST /model/{id}/converse` (JSON) and `POST /model/{id}/converse-stream`, whose
 * events travel in the AWS binary event-stream encoding, framed here with the same codec the SDK decodes with.
 */
import type { ServerResponse } from 'node:http';
import { EventStreamCodec } from '@smithy/eventstream-codec';
import {
  argumentHalves,
  type FakeModelServer,
  type RecordedRequest,
  type ScriptedReply,
  type StreamEvent,
  startFakeModelServer,
  writeEvents,
} from './fake-model-server.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const codec = new EventStreamCodec(
  (bytes) => decoder.decode(bytes),
  (text) => encoder.encode(text),
);

const ROUTE = /^\/model\/([^/]+)\/(converse|converse-stream)$/;

/** The model id of a recorded request, decoded from its path. */
export function bedrockModelOf(request: RecordedRequest): string | undefined {
  const match = ROUTE.exec(request.path);
  return match?.[1] ? decodeURIComponent(match[1]) : undefined;
}

function usageOf(reply: ScriptedReply) {
  const { input, output } = reply.usage ?? { input: 17, output: 5 };
  return { inputTokens: input, outputTokens: output, totalTokens: input + output };
}

function frame(eventType: string, payload: object): Uint8Array {
  return codec.encode({
    headers: {
      ':event-type': { type: 'string', value: eventType },
      ':content-type': { type: 'string', value: 'application/json' },
      ':message-type': { type: 'string', value: 'event' },
    },
    body: encoder.encode(JSON.stringify(payload)),
  });
}

function streamEvents(reply: ScriptedReply, response: ServerResponse): StreamEvent[] {
  const send = (eventType: string, payload: object) => () => response.write(frame(eventType, payload));
  const events: StreamEvent[] = [{ delta: false, write: send('messageStart', { role: 'assistant' }) }];
  const texts = reply.text ?? [];
  for (const text of texts)
    events.push({ delta: true, write: send('contentBlockDelta', { contentBlockIndex: 0, delta: { text } }) });
  if (texts.length > 0)
    events.push({ delta: false, write: send('contentBlockStop', { contentBlockIndex: 0 }) });
  const call = reply.toolCall;
  if (call) {
    const index = texts.length > 0 ? 1 : 0;
    events.push({
      delta: false,
      write: send('contentBlockStart', {
        contentBlockIndex: index,
        start: { toolUse: { toolUseId: call.id, name: call.name } },
      }),
    });
    for (const input of argumentHalves(call.args))
      events.push({
        delta: true,
        write: send('contentBlockDelta', { contentBlockIndex: index, delta: { toolUse: { input } } }),
      });
    events.push({ delta: false, write: send('contentBlockStop', { contentBlockIndex: index }) });
  }
  events.push({ delta: false, write: send('messageStop', { stopReason: call ? 'tool_use' : 'end_turn' }) });
  events.push({
    delta: false,
    write: send('metadata', { usage: usageOf(reply), metrics: { latencyMs: 12 } }),
  });
  return events;
}

function converseOutput(reply: ScriptedReply) {
  const call = reply.toolCall;
  const content: object[] = [];
  if (reply.text?.length) content.push({ text: reply.text.join('') });
  if (call) content.push({ toolUse: { toolUseId: call.id, name: call.name, input: call.args } });
  return {
    output: { message: { role: 'assistant', content } },
    stopReason: call ? 'tool_use' : 'end_turn',
    usage: usageOf(reply),
    metrics: { latencyMs: 12 },
  };
}

export async function renderBedrock(
  request: RecordedRequest,
  reply: ScriptedReply,
  response: ServerResponse,
): Promise<void> {
  const route = ROUTE.exec(request.path);
  if (request.method !== 'POST' || !route) {
    response.writeHead(404, {
      'content-type': 'application/json',
      'x-amzn-errortype': 'UnknownOperationException',
    });
    response.end(JSON.stringify({ message: `no route ${request.path}` }));
    return;
  }
  if (reply.status) {
    response.writeHead(reply.status, {
      'content-type': 'application/json',
      'x-amzn-errortype': 'InternalServerException',
      'x-amzn-requestid': 'fake-request-id',
    });
    response.end(JSON.stringify({ message: 'The server encountered an internal error' }));
    return;
  }
  if (route[2] === 'converse') {
    response.writeHead(200, { 'content-type': 'application/json', 'x-amzn-requestid': 'fake-request-id' });
    response.end(JSON.stringify(converseOutput(reply)));
    return;
  }
  response.writeHead(200, {
    'content-type': 'application/vnd.amazon.eventstream',
    'x-amzn-requestid': 'fake-request-id',
  });
  await writeEvents(streamEvents(reply, response), reply);
  response.end();
}

export function startFakeBedrock(
  script: (request: RecordedRequest) => ScriptedReply,
): Promise<FakeModelServer> {
  return startFakeModelServer(renderBedrock, script);
}
