/**
 * An HTTP proxy in front of the sandbox that can shape chosen responses (throttling, server
 * errors, or the emulator's own answer rewritten) while every other request reaches the emulator
 * untouched. Requests stay real.
 */
import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

export interface ProxiedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface FaultRule {
  /** Which requests this rule applies to. */
  match: (request: ProxiedRequest) => boolean;
  /** How many matching requests get the fault before the rule stops applying. */
  times: number;
  /** A canned answer; the request never reaches the emulator. */
  response?: { status: number; headers?: Record<string, string>; body: string };
  /**
   * Or: the request reaches the emulator and its answer's body is rewritten, for state the
   * emulator cannot reach by itself (tasks that really ran and stopped, a rollout that finished).
   */
  rewrite?: (body: string, request: ProxiedRequest) => string;
  /** Or: the request reaches the emulator unchanged, after this many milliseconds. */
  delayMs?: number;
  /** Or: the request reaches the emulator unchanged once this settles: a test holds a call mid-flight. */
  until?: Promise<unknown>;
}

export interface FaultProxy {
  endpointUrl: string;
  /** Every request seen, in order, faulted or not. */
  requests: ProxiedRequest[];
  /** How many responses were faulted so far. */
  faulted: number;
  addRule(rule: FaultRule): void;
  close(): Promise<void>;
}

/** The AWS action a request names, whatever the protocol (query `Action=`, JSON `X-Amz-Target`). */
export function actionOf(request: ProxiedRequest): string | undefined {
  const target = request.headers['x-amz-target'];
  if (typeof target === 'string') return target.split('.').pop();
  const match = /(?:^|&)Action=([A-Za-z0-9]+)/.exec(request.body);
  return match?.[1];
}

/** A throttling error in the shape each AWS protocol uses, so the SDK classifies it as throttling. */
export function throttlingResponse(
  protocol: 'ec2' | 'query' | 'json' | 'rest-json' | 's3',
): FaultRule['response'] {
  switch (protocol) {
    case 'ec2':
      return {
        status: 503,
        headers: { 'content-type': 'text/xml' },
        body: '<Response><Errors><Error><Code>RequestLimitExceeded</Code><Message>Request limit exceeded.</Message></Error></Errors><RequestID>fault-proxy</RequestID></Response>',
      };
    case 'query':
      return {
        status: 400,
        headers: { 'content-type': 'text/xml' },
        body: '<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>fault-proxy</RequestId></ErrorResponse>',
      };
    case 'json':
      return {
        status: 400,
        headers: { 'content-type': 'application/x-amz-json-1.1' },
        body: JSON.stringify({ __type: 'ThrottlingException', message: 'Rate exceeded' }),
      };
    case 'rest-json':
      return {
        status: 429,
        headers: { 'content-type': 'application/json', 'x-amzn-errortype': 'TooManyRequestsException' },
        body: JSON.stringify({ message: 'Rate exceeded', Type: 'User' }),
      };
    case 's3':
      return {
        status: 503,
        headers: { 'content-type': 'application/xml' },
        body: '<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message><RequestId>fault-proxy</RequestId></Error>',
      };
  }
}

export async function startFaultProxy(targetUrl: string): Promise<FaultProxy> {
  const target = new URL(targetUrl);
  const rules: FaultRule[] = [];
  const requests: ProxiedRequest[] = [];
  const state = { faulted: 0 };

  const server: Server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const body = Buffer.concat(chunks);
      const seen: ProxiedRequest = {
        method: incoming.method ?? 'GET',
        path: incoming.url ?? '/',
        headers: incoming.headers,
        body: body.toString('utf8'),
      };
      requests.push(seen);
      const rule = rules.find((candidate) => candidate.times > 0 && candidate.match(seen));
      if (rule) {
        rule.times -= 1;
        state.faulted += 1;
      }
      if (rule?.response) {
        outgoing.writeHead(rule.response.status, rule.response.headers ?? {});
        outgoing.end(rule.response.body);
        return;
      }
      const send = () => {
        // A client that went away (killed mid-call) never has its request delivered. Only the
        // response tells: a fully read request is destroyed by Node even while its client waits.
        if (outgoing.destroyed) return;
        const rewrite = rule?.rewrite;
        const forward = httpRequest(
          {
            host: target.hostname,
            port: target.port,
            method: seen.method,
            path: seen.path,
            headers: { ...incoming.headers, host: target.host },
          },
          (response) => {
            if (!rewrite) {
              outgoing.writeHead(response.statusCode ?? 502, response.headers);
              response.pipe(outgoing);
              return;
            }
            const parts: Buffer[] = [];
            response.on('data', (chunk: Buffer) => parts.push(chunk));
            response.on('end', () => {
              const raw = Buffer.concat(parts);
              const zipped = response.headers['content-encoding'] === 'gzip';
              const text = (zipped ? gunzipSync(raw) : raw).toString('utf8');
              const shaped = Buffer.from(rewrite(text, seen), 'utf8');
              const {
                'content-encoding': _encoding,
                'content-length': _length,
                ...headers
              } = response.headers;
              outgoing.writeHead(response.statusCode ?? 502, { ...headers, 'content-length': shaped.length });
              outgoing.end(shaped);
            });
          },
        );
        forward.on('error', (error) => {
          outgoing.writeHead(502);
          outgoing.end(String(error));
        });
        forward.end(body);
      };
      // A delayed request still reaches the emulator, later: time for a test to act mid-call.
      if (rule?.delayMs) setTimeout(send, rule.delayMs);
      else if (rule?.until) rule.until.then(send, send);
      else send();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpointUrl: `http://127.0.0.1:${port}`,
    requests,
    get faulted() {
      return state.faulted;
    },
    addRule: (rule) => rules.push(rule),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
