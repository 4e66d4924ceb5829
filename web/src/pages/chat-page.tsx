/**
 * The chat: the session list, the conversation streaming in, and the composer. The open session
 * is kept in the address (`/?session=ID`), so a reload or a shared link reopens it.
 */
import { useEffect } from 'react';
import { Composer } from '../components/composer.js';
import { ConversationLog } from '../components/conversation-log.js';
import { SessionSidebar } from '../components/session-sidebar.js';
import { SessionStatus } from '../components/session-status.js';
import { useAgentSession } from '../lib/agent-session.js';
import { navigate, paths } from '../lib/router.js';

export function ChatPage({ sessionId }: { sessionId?: string }) {
  const { state, open } = useAgentSession();

  // A link or the back button named another session: open it.
  useEffect(() => {
    if (sessionId && sessionId !== state.sessionId) open(sessionId);
  }, [sessionId, state.sessionId, open]);

  // The session exists on the server now: put it in the address so a reload comes back to it.
  useEffect(() => {
    if (!sessionId && state.saved && state.sessionId)
      navigate(paths.chat(state.sessionId), { replace: true });
  }, [sessionId, state.saved, state.sessionId]);

  return (
    <div className="chat-layout">
      <SessionSidebar />
      <div className="chat-main">
        <h1 className="visually-hidden">Chat</h1>
        <ConversationLog />
        <SessionStatus />
        <Composer />
      </div>
    </div>
  );
}
