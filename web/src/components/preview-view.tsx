/** A step's preview, computed without side effects: its summary, its changes as a diff, its warnings. */
import type { z } from 'zod';
import type { previewSchema } from '../../../src/protocol/events.js';

type Preview = z.infer<typeof previewSchema>;

/** Diff marks: + creates, ~ updates, - deletes, = leaves as it is. */
function markOf(kind: string): string {
  if (kind === 'create') return '+';
  if (kind === 'update') return '~';
  if (kind === 'delete') return '-';
  if (kind === 'no-op' || kind === 'none') return '=';
  return '•';
}

export function PreviewView({ preview }: { preview: Preview }) {
  return (
    <div className="preview">
      <p className="preview-summary">
        <span className="hint">Preview ({preview.method}):</span> {preview.summary}
      </p>
      {preview.changes.length > 0 ? (
        <ul className="diff" aria-label="Changes">
          {preview.changes.map((change, index) => (
            <li
              // Changes have no id; their order is the preview's.
              // biome-ignore lint/suspicious/noArrayIndexKey: the list never reorders.
              key={index}
              className={`diff-${markOf(change.kind) === '•' ? 'other' : change.kind}`}
            >
              <code>
                {markOf(change.kind)} {change.kind} {change.resource}
                {change.detail ? ` ${change.detail}` : ''}
              </code>
            </li>
          ))}
        </ul>
      ) : null}
      {preview.warnings.length > 0 ? (
        <ul className="warnings" aria-label="Warnings">
          {preview.warnings.map((warning) => (
            <li key={warning}>
              <strong>Warning:</strong> {warning}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
