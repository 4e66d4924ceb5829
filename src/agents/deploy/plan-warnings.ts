/**
 * Each step of a plan is previewed on its own, against AWS as it is now, so a step that uses what
 * an earlier step creates (EC2's staging bucket, made by the step before) warns that it does not
 * exist. On the approval card that reads as a problem with the plan; it is the plan working as
 * meant. Such a warning is restated as what it is: created first, by that step.
 */
import type { ToolPreview } from '../../tools/define-tool.js';

/** `s3://bucket` → `bucket`, `lambda:function/name` → `name`; the name a warning would quote. */
function nameOf(resource: string): string {
  const path = resource.includes('://') ? resource.slice(resource.indexOf('://') + 3) : resource;
  return path.split('/').filter(Boolean).at(-1) ?? path;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function withEarlierCreations(steps: Array<{ id: string; preview: ToolPreview }>): ToolPreview[] {
  /** Whole resources (not objects inside one) created by the steps so far, by name. */
  const created = new Map<string, string>();
  return steps.map(({ id, preview }) => {
    const warnings = preview.warnings.map((warning) => {
      if (!/does not exist/i.test(warning)) return warning;
      for (const [name, step] of created) {
        if (new RegExp(`(^|[^\\w.-])${escapeRegExp(name)}($|[^\\w.-])`).test(warning))
          return `${name} does not exist yet: step '${step}' creates it before this one runs`;
      }
      return warning;
    });
    for (const change of preview.changes) {
      const whole = !/^s3:\/\/[^/]+\/./.test(change.resource);
      if (change.kind === 'create' && whole) created.set(nameOf(change.resource), id);
    }
    return { ...preview, warnings };
  });
}
