/**
 * Each step of a plan is previewed on its own, against AWS as it is now, so a step that uses what
 * an earlier step creates (EC2's staging bucket, made by the step before) warns that it does not
 * exist. On the approval card that reads as a problem with the plan; it is the plan working as
 * meant. Such a warning is restated as what it is: created first, by that step. Only S3 buckets
 * are matched so far: the one resource a plan step creates for a later one.
 */
import type { ToolPreview } from '../../tools/define-tool.js';

/** The S3 bucket a change creates (`s3://name`, not an object inside one), or undefined. */
function createdBucket(change: ToolPreview['changes'][number]): string | undefined {
  const match = change.kind === 'create' ? /^s3:\/\/([^/]+)\/?$/.exec(change.resource) : null;
  return match?.[1];
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Only buckets, named as buckets: a warning about a bucket must not be explained away by a
 * function or an instance of the same name that an earlier step creates.
 */
export function withEarlierCreations(steps: Array<{ id: string; preview: ToolPreview }>): ToolPreview[] {
  const buckets = new Map<string, string>();
  return steps.map(({ id, preview }) => {
    const warnings = preview.warnings.map((warning) => {
      if (!/does not exist/i.test(warning)) return warning;
      for (const [name, step] of buckets) {
        if (new RegExp(`\\bbucket ${escapeRegExp(name)}($|[^\\w.-])`).test(warning))
          return `${name} does not exist yet: step '${step}' creates it before this one runs`;
      }
      return warning;
    });
    for (const change of preview.changes) {
      const bucket = createdBucket(change);
      if (bucket) buckets.set(bucket, id);
    }
    return { ...preview, warnings };
  });
}
