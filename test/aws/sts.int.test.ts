import { afterAll, describe, expect, it } from 'vitest';
import { createToolHarness } from '../helpers/tool-harness.js';

describe('get_caller_identity against the sandbox', () => {
  const harness = createToolHarness();
  afterAll(() => harness.close());

  it('returns the account and records the AWS request id in the audit trail', async () => {
    const envelope = await harness.run('get_caller_identity', {});
    expect(envelope.status).toBe('ok');
    if (envelope.status !== 'ok') return;
    expect(envelope.result).toMatchObject({ account: expect.stringMatching(/^\d{12}$/) });
    const record = harness.audit.records.at(-1);
    expect(record?.awsCalls).toEqual([
      expect.objectContaining({ service: 'sts', operation: 'GetCallerIdentity' }),
    ]);
    expect(record?.awsCalls[0]?.requestId).toBeTruthy();
  });

  it('rejects an unknown region naming the field', async () => {
    const envelope = await harness.run('get_caller_identity', { region: 'us-middle-9' });
    expect(envelope).toMatchObject({ status: 'error', error: { code: 'invalid_input', field: 'region' } });
    if (envelope.status === 'error')
      expect(envelope.error.message).toMatch(/unknown AWS region 'us-middle-9'/);
  });
});
