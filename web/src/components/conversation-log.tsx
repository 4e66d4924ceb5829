/**
 * The conversation as a live log: screen readers hear new messages and progress as they arrive,
 * and the view follows the newest item unless the person scrolled up to read.
 */
import { useEffect, useMemo, useRef } from 'react';
import { useAgentSession } from '../lib/agent-session.js';
import { buildConversation } from '../lib/conversation.js';
import { ChatItemView } from './chat-item-view.js';

const EXAMPLES = [
  'Deploy my FastAPI + Vite app from ./shop to us-east-1',
  'My api service on cluster prod is failing since the last deploy',
  'List my EC2 instances in us-east-1',
];

export function ConversationLog() {
  const { state } = useAgentSession();
  const items = useMemo(
    () => buildConversation(state.events, state.messages, state.answers),
    [state.events, state.messages, state.answers],
  );
  const logRef = useRef<HTMLDivElement>(null);
  const following = useRef(true);

  // biome-ignore lint/correctness/useExhaustiveDependencies: scroll again whenever the items change.
  useEffect(() => {
    const log = logRef.current;
    if (log && following.current) log.scrollTop = log.scrollHeight;
  }, [items]);

  return (
    <div
      ref={logRef}
      className="conversation"
      role="log"
      aria-label="Conversation"
      aria-live="polite"
      onScroll={(event) => {
        const log = event.currentTarget;
        following.current = log.scrollHeight - log.scrollTop - log.clientHeight < 80;
      }}
    >
      {items.length === 0 ? (
        <div className="welcome">
          <h2>What shall we do?</h2>
          <p>Ask in your own words, for example:</p>
          <ul>
            {EXAMPLES.map((example) => (
              <li key={example}>
                <q>{example}</q>
              </li>
            ))}
          </ul>
        </div>
      ) : (
        items.map((item) => <ChatItemView key={item.key} item={item} />)
      )}
    </div>
  );
}
