/**
 * Asking the person at the MCP client through elicitation: the only way an MCP call gets a
 * person's yes. A client that did not declare the elicitation capability cannot ask anyone.
 */
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { RequestId } from '@modelcontextprotocol/sdk/types.js';
import type { Logger } from '../telemetry/logger.js';

export type PersonAnswer = 'accept' | 'decline' | 'cancel';

/** Shows the message and waits for the person's accept, decline or cancel. */
export type AskPerson = (message: string) => Promise<PersonAnswer>;

/** A person reads a plan before deciding; the SDK's one-minute default is too short for that. */
const ELICITATION_TIMEOUT_MS = 10 * 60_000;

/** The asker for one tool call, or undefined when the client cannot ask its person anything. */
export function personAsker(
  server: Server,
  requestId: RequestId,
  signal: AbortSignal,
  log: Logger,
): AskPerson | undefined {
  if (!server.getClientCapabilities()?.elicitation?.form) return undefined;
  return async (message) => {
    try {
      const answer = await server.elicitInput(
        // Nothing to fill in: accepting the form is the yes.
        { mode: 'form', message, requestedSchema: { type: 'object', properties: {} } },
        // Sent on the stream of the tool call itself, so an HTTP client sees it while it waits.
        { relatedRequestId: requestId, signal, timeout: ELICITATION_TIMEOUT_MS },
      );
      return answer.action;
    } catch (error) {
      // No answer (timeout, a client error, the call abandoned) is no approval.
      log.warn({ error: (error as Error).message }, 'MCP elicitation got no answer');
      return 'cancel';
    }
  };
}
