/** Where the person types: Enter sends, Shift+Enter starts a new line; Send waits while a turn runs. */
import { type FormEvent, type KeyboardEvent, useState } from 'react';
import { useAgentSession } from '../lib/agent-session.js';

export function Composer() {
  const { state, sendMessage } = useAgentSession();
  const [text, setText] = useState('');
  const ready = !state.busy && state.connection === 'open';

  const send = () => {
    const message = text.trim();
    if (!message || !ready) return;
    if (sendMessage(message)) setText('');
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    send();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    // Enter while composing (IME) picks a candidate instead of sending.
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      send();
    }
  };

  return (
    <form className="composer" onSubmit={submit} aria-label="Send a message">
      <label htmlFor="composer-message" className="visually-hidden">
        Message
      </label>
      <textarea
        id="composer-message"
        rows={2}
        value={text}
        placeholder="Ask aws-copilot…"
        aria-describedby="composer-hint"
        onChange={(event) => setText(event.target.value)}
        onKeyDown={onKeyDown}
        maxLength={16_000}
      />
      <p id="composer-hint" className="visually-hidden">
        Enter sends; Shift+Enter starts a new line.
      </p>
      <button type="submit" className="primary" disabled={!ready || !text.trim()}>
        Send
      </button>
    </form>
  );
}
