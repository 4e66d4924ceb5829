import {
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DeleteLogGroupCommand,
  PutLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectOk } from '../helpers/envelopes.js';
import { actionOf, type FaultProxy, startFaultProxy, throttlingResponse } from '../helpers/fault-proxy.js';
import { createToolHarness, sandboxEndpoint } from '../helpers/tool-harness.js';
import { uniqueName } from '../helpers/unique-name.js';

interface LogEventsResult {
  events: Array<{ timestamp: string; message: string; log_stream_name?: string }>;
  count: number;
  truncated?: boolean;
  limit_reached?: boolean;
}

const minute = 60_000;
// CloudWatch Logs rejects events older than 14 days: the fixture lives in the last hour, on whole minutes.
const base = Math.floor((Date.now() - 60 * minute) / minute) * minute;
const iso = (epochMillis: number) => new Date(epochMillis).toISOString();
const messages = [
  'INFO server started',
  'ERROR database connection refused',
  'INFO request served',
  'ERROR timeout calling payments',
  'INFO shutting down',
];

describe('CloudWatch Logs tools', () => {
  const harness = createToolHarness();
  const logs = harness.aws.logs();
  const group = `/ecs/${uniqueName('logs')}`;
  const stream = 'web/web/0123abcd';
  const otherStream = 'worker/worker/4567ef01';

  beforeAll(async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: group }));
    await logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: stream }));
    await logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: otherStream }));
    await logs.send(
      new PutLogEventsCommand({
        logGroupName: group,
        logStreamName: stream,
        logEvents: messages.map((message, index) => ({ timestamp: base + index * minute, message })),
      }),
    );
    await logs.send(
      new PutLogEventsCommand({
        logGroupName: group,
        logStreamName: otherStream,
        logEvents: [{ timestamp: base + 10 * minute, message: 'ERROR worker crashed' }],
      }),
    );
  });
  afterAll(async () => {
    await logs.send(new DeleteLogGroupCommand({ logGroupName: group }));
    harness.close();
  });

  it('reads a stream from the head, newest by default, and within a time range', async () => {
    const fromHead = expectOk(
      await harness.run<LogEventsResult>('get_log_events', {
        log_group_name: group,
        log_stream_name: stream,
        start_from_head: true,
        limit: 2,
      }),
    );
    expect(fromHead.events.map((event) => event.message)).toEqual(messages.slice(0, 2));
    expect(fromHead.events[0]?.timestamp).toBe(iso(base));
    expect(fromHead.limit_reached).toBe(true);

    const newest = expectOk(
      await harness.run<LogEventsResult>('get_log_events', {
        log_group_name: group,
        log_stream_name: stream,
        limit: 2,
      }),
    );
    expect(newest.events.map((event) => event.message)).toEqual(messages.slice(3));

    const all = expectOk(
      await harness.run<LogEventsResult>('get_log_events', {
        log_group_name: group,
        log_stream_name: stream,
      }),
    );
    expect(all).toMatchObject({ count: 5, limit_reached: false });

    const ranged = expectOk(
      await harness.run<LogEventsResult>('get_log_events', {
        log_group_name: group,
        log_stream_name: stream,
        start_time: iso(base + minute).replace('.000Z', 'Z'),
        end_time: base + 3 * minute,
        start_from_head: true,
      }),
    );
    expect(ranged.events.map((event) => event.message)).toEqual(messages.slice(1, 4));
  });

  it('filters a group with the pattern ERROR across streams, one stream, and up to a limit', async () => {
    const errors = expectOk(
      await harness.run<LogEventsResult>('filter_log_events', {
        log_group_name: group,
        filter_pattern: 'ERROR',
      }),
    );
    expect(errors.events.map((event) => event.message).sort()).toEqual([
      'ERROR database connection refused',
      'ERROR timeout calling payments',
      'ERROR worker crashed',
    ]);
    expect(errors.truncated).toBe(false);

    const oneStream = expectOk(
      await harness.run<LogEventsResult>('filter_log_events', {
        log_group_name: group,
        filter_pattern: 'ERROR',
        log_stream_names: [otherStream],
      }),
    );
    expect(oneStream.events).toEqual([
      expect.objectContaining({ log_stream_name: otherStream, message: 'ERROR worker crashed' }),
    ]);

    const limited = expectOk(
      await harness.run<LogEventsResult>('filter_log_events', { log_group_name: group, limit: 2 }),
    );
    expect(limited).toMatchObject({ count: 2, truncated: true });
  });

  it('masks credentials in the messages it returns', async () => {
    const leaky = 'leaky/leaky/89ab';
    await logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: leaky }));
    await logs.send(
      new PutLogEventsCommand({
        logGroupName: group,
        logStreamName: leaky,
        logEvents: [
          { timestamp: base + 20 * minute, message: 'DEBUG connecting with password=hunter2-secret' },
        ],
      }),
    );
    const read = expectOk(
      await harness.run<LogEventsResult>('get_log_events', { log_group_name: group, log_stream_name: leaky }),
    );
    expect(read.events.map((event) => event.message)).toEqual(['DEBUG connecting with password=***']);
    const found = expectOk(
      await harness.run<LogEventsResult>('filter_log_events', {
        log_group_name: group,
        log_stream_names: [leaky],
      }),
    );
    expect(found.events.map((event) => event.message)).toEqual(['DEBUG connecting with password=***']);
  });

  it('reports a missing log group with the AWS error code', async () => {
    const envelope = await harness.run('filter_log_events', { log_group_name: '/ecs/no-such-group' });
    expect(envelope).toMatchObject({
      status: 'error',
      error: { code: 'not_found', aws_code: 'ResourceNotFoundException' },
    });
    const stream = await harness.run('get_log_events', { log_group_name: group, log_stream_name: 'missing' });
    expect(stream).toMatchObject({ status: 'error', error: { aws_code: 'ResourceNotFoundException' } });
  });

  it('rejects bad input naming the field', async () => {
    const cases: Array<[string, Record<string, unknown>, string]> = [
      [
        'get_log_events',
        { log_group_name: group, log_stream_name: stream, start_time: 'yesterday' },
        'start_time',
      ],
      ['get_log_events', { log_group_name: group, log_stream_name: stream, limit: 10_001 }, 'limit'],
      ['get_log_events', { log_group_name: group, log_stream_name: 'a:b' }, 'log_stream_name'],
      ['filter_log_events', { log_group_name: 'bad group!' }, 'log_group_name'],
      ['filter_log_events', { log_group_name: group, start_time: base, end_time: base - 1 }, 'end_time'],
      ['filter_log_events', { log_group_name: group, limit: 0 }, 'limit'],
    ];
    for (const [tool, args, field] of cases) {
      expect(await harness.run(tool, args), `${tool} ${field}`).toMatchObject({
        status: 'error',
        error: { code: 'invalid_input', field },
      });
    }
  });
});

describe('CloudWatch Logs tools behind a throttling proxy', () => {
  let proxy: FaultProxy;
  let harness: ReturnType<typeof createToolHarness>;
  const group = `/ecs/${uniqueName('throttle')}`;

  beforeAll(async () => {
    proxy = await startFaultProxy(sandboxEndpoint());
    harness = createToolHarness({ endpointUrl: proxy.endpointUrl });
    await harness.aws.logs().send(new CreateLogGroupCommand({ logGroupName: group }));
  });
  afterAll(async () => {
    await harness.aws.logs().send(new DeleteLogGroupCommand({ logGroupName: group }));
    harness.close();
    await proxy.close();
  });

  it('retries FilterLogEvents after throttling and still answers', async () => {
    proxy.addRule({
      match: (request) => actionOf(request) === 'FilterLogEvents',
      times: 2,
      response: throttlingResponse('json'),
    });
    const envelope = await harness.run('filter_log_events', {
      log_group_name: group,
      filter_pattern: 'ERROR',
    });
    expect(expectOk(envelope)).toMatchObject({ events: [], count: 0 });
    expect(proxy.faulted).toBe(2);
  });
});
