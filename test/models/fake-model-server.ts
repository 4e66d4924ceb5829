/**
 * A local HTTP server that answers like a model provider: each test scripts the replies, a renderer per provider
 * writes them in that provider's wire format, and every request is recorded for the test to inspect.
 */
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  // biome-ignore lint/suspicious/noExplicitAny: request bodies are whatever JSON the client sent
  body: any;
}

export interface ScriptedReply {
  /** Answer with this HTTP error status instead of a completion. */
  status?: number;
  /** The answer's text, one streamed delta per element. */
  text?: string[];
  /** A tool call, its arguments streamed in two halves. */
  toolCall?: { id: string; name: string; args: Record<string, unknown> };
  usage?: { input: number; output: number };
  /** Streams the first `after` deltas, then waits for `until` before sending the rest and the end. */
  hold?: { after: number; until: Promise<unknown> };
}

/** One wire event of a streamed answer, before the provider's framing. */
export interface StreamEvent {
  /** Counts toward `hold.after` (text and argument deltas). */
  delta: boolean;
  write: () => void;
}

export type Renderer = (
  request: RecordedRequest,
  reply: ScriptedReply,
  response: ServerResponse,
) => Promise<void>;

export interface FakeModelServer {
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

const pause = () => new Promise((resolve) => setTimeout(resolve, 2));

/** Writes streamed events one by one, pausing so the client reads them apart, and holding where the reply says. */
export async function writeEvents(events: StreamEvent[], reply: ScriptedReply): Promise<void> {
  let deltas = 0;
  for (const event of events) {
    if (event.delta && reply.hold && deltas === reply.hold.after) await reply.hold.until;
    event.write();
    if (event.delta) deltas += 1;
    await pause();
  }
}

/** The tool call's JSON arguments in two pieces, as providers stream them. */
export function argumentHalves(args: Record<string, unknown>): [string, string] {
  const json = JSON.stringify(args);
  const middle = Math.floor(json.length / 2);
  return [json.slice(0, middle), json.slice(middle)];
}

export async function startFakeModelServer(
  render: Renderer,
  script: (request: RecordedRequest) => ScriptedReply,
): Promise<FakeModelServer> {
  const requests: RecordedRequest[] = [];
  const server = createServer((incoming, response) => {
    const parts: Buffer[] = [];
    incoming.on('data', (part: Buffer) => parts.push(part));
    incoming.on('end', () => {
      const text = Buffer.concat(parts).toString('utf8');
      const request: RecordedRequest = {
        method: incoming.method ?? 'GET',
        path: incoming.url ?? '/',
        headers: incoming.headers,
        body: text ? JSON.parse(text) : undefined,
      };
      requests.push(request);
      render(request, script(request), response).catch((error: unknown) => {
        response.destroy(error as Error);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** A promise a test resolves by hand, and that gives up after `ms` so a buffering client fails instead of hanging. */
export function gate(ms = 5000): { until: Promise<'released' | 'timed out'>; release: () => void } {
  let release!: () => void;
  const until = new Promise<'released' | 'timed out'>((resolve) => {
    release = () => resolve('released');
    setTimeout(() => resolve('timed out'), ms).unref();
  });
  return { until, release };
}
