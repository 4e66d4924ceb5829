/** Sends assistant text to the session as deltas and a final message, the way a streaming model would. */
import type { SessionContext } from './runtime.js';

export async function say(session: SessionContext, text: string): Promise<void> {
  for (const piece of text.match(/[^.!?\n]+[.!?\n]*\s*/g) ?? [text]) {
    await session.emit({ type: 'message-delta', role: 'assistant', text: piece });
  }
  await session.emit({ type: 'message-end', role: 'assistant', text });
}
