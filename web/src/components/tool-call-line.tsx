/** A tool call, compactly: the tool, how it ended, and its (already redacted) arguments on request. */
import type { ChatItem } from '../lib/conversation.js';

type ToolItem = Extract<ChatItem, { kind: 'tool' }>;

export function ToolCallLine({ item }: { item: ToolItem }) {
  const { start, end } = item;
  const state = end ? end.status : 'running';
  return (
    <details className={`tool-call state-${state}`}>
      <summary>
        <code className="tool-name">{start.tool}</code> <span className="step-state">{state}</span>
        {end?.summary && end.summary !== end.status ? (
          <span className="tool-summary"> — {end.summary}</span>
        ) : null}
      </summary>
      <p className="hint">
        by {start.agent} ({start.mode})
      </p>
      <pre>{JSON.stringify(start.args, null, 2)}</pre>
    </details>
  );
}
