/**
 * The CloudWatch Logs tool family: read one stream's events, or search a log group with a filter
 * pattern. Applications log tokens and passwords more often than they should, so every message is
 * redacted before it reaches a result, as command output is.
 */
import type { OutputLogEvent } from '@aws-sdk/client-cloudwatch-logs';
import { z } from 'zod';
import { redactor } from '../../guardrails/redaction.js';
import { type AnyTool, defineTool, readOnlyPreview } from '../define-tool.js';
import { callAws } from './aws-error.js';
import { regionSchema } from './regions.js';
import { logsSdk } from './sdk.js';

const MAX_EVENTS = 10_000;
const DEFAULT_EVENTS = 200;
// A safety net: a stream whose tokens never settle must not keep a call looping.
const MAX_PAGES = 100;

/** Epoch milliseconds from an ISO 8601 date-time or a number (or digit string) of epoch milliseconds. */
export function toEpochMillis(value: number | string): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) && value >= 0 ? value : undefined;
  if (/^\d+$/.test(value)) return Number(value);
  // Date-only strings parse too, but a time needs at least a date and hours to mean anything precise.
  if (!/^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/.test(value))
    return undefined;
  const parsed = Date.parse(value);
  return Number.isNaN(parsed) ? undefined : parsed;
}

const timeSchema = z.union([z.number(), z.string()]).refine((value) => toEpochMillis(value) !== undefined, {
  error: 'time must be an ISO 8601 date-time such as 2024-05-01T12:00:00Z, or epoch milliseconds',
});

const logGroupNameSchema = z
  .string()
  .regex(/^[.\-_/#A-Za-z0-9]{1,512}$/, {
    error: 'log group names are 1-512 letters, digits and . - _ / #',
  })
  .describe('Log group name, e.g. /ecs/web');

const logStreamNameSchema = z
  .string()
  .regex(/^[^:*]{1,512}$/, { error: 'log stream names are 1-512 characters without : or *' })
  .describe('Log stream name, e.g. web/web/0123abcd');

const limitSchema = z
  .number()
  .int()
  .min(1)
  .max(MAX_EVENTS)
  .default(DEFAULT_EVENTS)
  .describe(`Most events to return (1-${MAX_EVENTS}, default ${DEFAULT_EVENTS})`);

function endNotBeforeStart(args: { start_time?: number | string; end_time?: number | string }): boolean {
  if (args.start_time === undefined || args.end_time === undefined) return true;
  return (toEpochMillis(args.end_time) ?? 0) >= (toEpochMillis(args.start_time) ?? 0);
}

const timeRange = {
  start_time: timeSchema.optional().describe('Earliest event time: ISO 8601 or epoch milliseconds'),
  end_time: timeSchema.optional().describe('Latest event time: ISO 8601 or epoch milliseconds'),
};

function timeFilter(args: { start_time?: number | string; end_time?: number | string }) {
  return {
    ...(args.start_time !== undefined ? { startTime: toEpochMillis(args.start_time) } : {}),
    ...(args.end_time !== undefined ? { endTime: toEpochMillis(args.end_time) } : {}),
  };
}

function isoTime(epochMillis: number | undefined): string | undefined {
  return epochMillis === undefined ? undefined : new Date(epochMillis).toISOString();
}

export const getLogEvents = defineTool({
  name: 'get_log_events',
  description:
    'Read events of one CloudWatch Logs stream, newest by default or oldest first with start_from_head.',
  input: z
    .strictObject({
      log_group_name: logGroupNameSchema,
      log_stream_name: logStreamNameSchema,
      ...timeRange,
      limit: limitSchema,
      start_from_head: z.boolean().optional().describe('Read from the oldest event (default: the newest)'),
      region: regionSchema.optional(),
    })
    .refine(endNotBeforeStart, { error: 'end_time must not be before start_time', path: ['end_time'] }),
  risk: 'read',
  iam: ['logs:GetLogEvents'],
  idempotent: true,
  preview: async (args) => readOnlyPreview(`read events of ${args.log_group_name} / ${args.log_stream_name}`),
  run: async (args, context) => {
    const { GetLogEventsCommand } = await logsSdk();
    const client = context.aws.logs(args.region);
    const fromHead = args.start_from_head === true;
    let events: OutputLogEvent[] = [];
    let token: string | undefined;
    // One page may stop short of the limit (1 MB per response): keep paging in the reading direction.
    for (let page = 0; page < MAX_PAGES && events.length < args.limit; page += 1) {
      const response = await callAws('GetLogEvents', () =>
        client.send(
          new GetLogEventsCommand({
            logGroupName: args.log_group_name,
            logStreamName: args.log_stream_name,
            ...timeFilter(args),
            limit: args.limit - events.length,
            startFromHead: fromHead,
            ...(token ? { nextToken: token } : {}),
          }),
          { abortSignal: context.signal },
        ),
      );
      const batch = response.events ?? [];
      events = fromHead ? [...events, ...batch] : [...batch, ...events];
      const next = fromHead ? response.nextForwardToken : response.nextBackwardToken;
      // AWS hands back the token it was given once the stream has nothing more in that direction.
      if (batch.length === 0 || !next || next === token) break;
      token = next;
    }
    return {
      log_group_name: args.log_group_name,
      log_stream_name: args.log_stream_name,
      events: events.map((event) => ({
        timestamp: isoTime(event.timestamp),
        ingestion_time: isoTime(event.ingestionTime),
        message: redactor.text(event.message ?? ''),
      })),
      count: events.length,
      // The stream may hold more events in the reading direction than the limit let through.
      limit_reached: events.length >= args.limit,
    };
  },
});

export const filterLogEvents = defineTool({
  name: 'filter_log_events',
  description:
    'Search a CloudWatch Logs group with a filter pattern (e.g. "ERROR"), across all or some of its streams.',
  input: z
    .strictObject({
      log_group_name: logGroupNameSchema,
      filter_pattern: z
        .string()
        .max(1024)
        .optional()
        .describe(
          'CloudWatch Logs filter pattern, e.g. ERROR or "connection refused"; all events when absent',
        ),
      log_stream_names: z
        .array(logStreamNameSchema)
        .min(1)
        .max(100)
        .optional()
        .describe('Only these streams'),
      ...timeRange,
      limit: limitSchema,
      region: regionSchema.optional(),
    })
    .refine(endNotBeforeStart, { error: 'end_time must not be before start_time', path: ['end_time'] }),
  risk: 'read',
  iam: ['logs:FilterLogEvents'],
  idempotent: true,
  preview: async (args) =>
    readOnlyPreview(
      `search ${args.log_group_name} for ${args.filter_pattern ? `"${args.filter_pattern}"` : 'all events'}`,
    ),
  run: async (args, context) => {
    const { FilterLogEventsCommand } = await logsSdk();
    const client = context.aws.logs(args.region);
    const events: { timestamp?: string; log_stream_name: string; message: string; event_id: string }[] = [];
    let nextToken: string | undefined;
    for (let page = 0; page < MAX_PAGES; page += 1) {
      const response = await callAws('FilterLogEvents', () =>
        client.send(
          new FilterLogEventsCommand({
            logGroupName: args.log_group_name,
            ...(args.filter_pattern ? { filterPattern: args.filter_pattern } : {}),
            ...(args.log_stream_names ? { logStreamNames: args.log_stream_names } : {}),
            ...timeFilter(args),
            limit: args.limit - events.length,
            ...(nextToken ? { nextToken } : {}),
          }),
          { abortSignal: context.signal },
        ),
      );
      for (const event of response.events ?? []) {
        events.push({
          timestamp: isoTime(event.timestamp),
          log_stream_name: event.logStreamName ?? '',
          message: redactor.text(event.message ?? ''),
          event_id: event.eventId ?? '',
        });
      }
      nextToken = response.nextToken;
      if (!nextToken || events.length >= args.limit) break;
    }
    return {
      log_group_name: args.log_group_name,
      events: events.slice(0, args.limit),
      count: Math.min(events.length, args.limit),
      // More matching events exist beyond the limit (or the page cap).
      truncated: Boolean(nextToken),
    };
  },
});

export const LOGS_TOOLS: AnyTool[] = [getLogEvents, filterLogEvents];
