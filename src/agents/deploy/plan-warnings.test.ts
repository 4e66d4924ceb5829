import { describe, expect, it } from 'vitest';
import type { ToolPreview } from '../../tools/define-tool.js';
import { withEarlierCreations } from './plan-warnings.js';

const preview = (changes: ToolPreview['changes'], warnings: string[] = []): ToolPreview => ({
  summary: 's',
  method: 'describe-diff',
  changes,
  warnings,
});

describe('plan warnings across steps', () => {
  it('restates "does not exist" for what an earlier step creates, and keeps every other warning', () => {
    const [bucket, instance] = withEarlierCreations([
      { id: 'staging-bucket', preview: preview([{ kind: 'create', resource: 's3://shop-stage' }]) },
      {
        id: 'instance',
        preview: preview(
          [{ kind: 'create', resource: 's3://shop-stage/app.zip' }],
          [
            'staging bucket shop-stage does not exist; create it first (create_bucket) or name an existing bucket',
            'staging bucket shop-stage-old does not exist; create it first',
            'instance type t3.micro is not free-tier eligible here',
          ],
        ),
      },
    ]);
    expect(bucket?.warnings).toEqual([]);
    expect(instance?.warnings).toEqual([
      "shop-stage does not exist yet: step 'staging-bucket' creates it before this one runs",
      'staging bucket shop-stage-old does not exist; create it first',
      'instance type t3.micro is not free-tier eligible here',
    ]);
  });

  it('does not count an object inside a bucket, or a later step, as creating the bucket', () => {
    const warning = 'bucket shop-stage does not exist; the upload would fail with NoSuchBucket';
    const [first, second] = withEarlierCreations([
      { id: 'upload', preview: preview([{ kind: 'create', resource: 's3://shop-stage/a.txt' }], [warning]) },
      { id: 'bucket', preview: preview([{ kind: 'create', resource: 's3://shop-stage' }]) },
    ]);
    expect(first?.warnings).toEqual([warning]);
    expect(second?.warnings).toEqual([]);
  });

  it('keeps a bucket warning when an earlier step creates something else of the same name', () => {
    const warning =
      'staging bucket shop does not exist; create it first (create_bucket) or name an existing bucket';
    const [, second] = withEarlierCreations([
      { id: 'function', preview: preview([{ kind: 'create', resource: 'lambda:function/shop' }]) },
      { id: 'instance', preview: preview([], [warning]) },
    ]);
    expect(second?.warnings).toEqual([warning]);
  });
});
