import { describe, expect, it } from 'vitest';
import { getLogEvents, toEpochMillis } from './logs.js';

describe('toEpochMillis', () => {
  it('reads epoch milliseconds as numbers or digit strings', () => {
    expect(toEpochMillis(1714564800000)).toBe(1714564800000);
    expect(toEpochMillis('1714564800000')).toBe(1714564800000);
  });

  it('reads ISO 8601 date-times, with or without an offset', () => {
    expect(toEpochMillis('2024-05-01T12:00:00Z')).toBe(Date.UTC(2024, 4, 1, 12));
    expect(toEpochMillis('2024-05-01T14:00:00+02:00')).toBe(Date.UTC(2024, 4, 1, 12));
    expect(toEpochMillis('2024-05-01')).toBe(Date.UTC(2024, 4, 1));
  });

  it('refuses anything else', () => {
    for (const value of ['yesterday', 'May 1 2024', '2024-13-45T00:00:00Z', '', -5, 1.5]) {
      expect(toEpochMillis(value), String(value)).toBeUndefined();
    }
  });
});

describe('get_log_events input', () => {
  it('defaults the limit to 200 and refuses an end before the start', () => {
    const parsed = getLogEvents.input.parse({ log_group_name: '/ecs/web', log_stream_name: 's' });
    expect(parsed.limit).toBe(200);
    const bad = getLogEvents.input.safeParse({
      log_group_name: '/ecs/web',
      log_stream_name: 's',
      start_time: '2024-05-01T12:00:00Z',
      end_time: '2024-05-01T11:00:00Z',
    });
    expect(bad.success ? [] : bad.error.issues.map((issue) => issue.path.join('.'))).toEqual(['end_time']);
  });
});
