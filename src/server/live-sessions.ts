/**
 * The server owns every running turn, not the socket that asked for it: a turn keeps running when
 * its page is closed or reloaded, its events reach every socket watching the session, and one
 * session runs one turn at a time. At start-up it continues the workflows a previous process left
 * mid-run.
 */
import type { ChatSessions, EventListener, TurnResult } from '../agents/chat-session.js';
import type { EventFrame, TurnEndFrame } from '../protocol/ws.js';
import type { SessionRepository } from '../store/ports.js';
import type { Logger } from '../telemetry/logger.js';

export type LiveFrame = EventFrame | TurnEndFrame;
export type Watcher = (frame: LiveFrame) => void;

/** Sessions per user looked at for interrupted workflows at start-up, most recent first. */
const SESSIONS_CHECKED_PER_USER = 100;

export class LiveSessions {
  private readonly watchers = new Map<string, Set<Watcher>>();
  private readonly running = new Map<string, Promise<void>>();

  constructor(
    private readonly chat: ChatSessions,
    private readonly sessions: SessionRepository,
    private readonly log: Logger,
  ) {}

  /** Calls `watcher` with every live frame of the session until the returned function is called. */
  watch(sessionId: string, watcher: Watcher): () => void {
    let set = this.watchers.get(sessionId);
    if (!set) {
      set = new Set();
      this.watchers.set(sessionId, set);
    }
    set.add(watcher);
    return () => {
      set.delete(watcher);
      if (set.size === 0 && this.watchers.get(sessionId) === set) this.watchers.delete(sessionId);
    };
  }

  isRunning(sessionId: string): boolean {
    return this.running.has(sessionId);
  }

  /**
   * Runs one turn in the background; false when the session is already running one. A failure the
   * agents did not turn into an `error` event goes to `onError` (the socket that asked).
   */
  start(
    sessionId: string,
    work: (listener: EventListener) => Promise<TurnResult | undefined>,
    options: { id?: string; onError?: (error: unknown) => void } = {},
  ): boolean {
    if (this.running.has(sessionId)) return false;
    const turn = (async () => {
      try {
        const result = await work(this.publish);
        // Cleared before turn-end goes out, so the next message that turn-end invites is accepted.
        this.running.delete(sessionId);
        if (result) this.deliver(sessionId, this.turnEnd(result, options.id));
      } catch (error) {
        this.running.delete(sessionId);
        if (options.onError) options.onError(error);
        else this.log.error({ sessionId, error: (error as Error).message }, 'turn failed');
      }
    })();
    this.running.set(sessionId, turn);
    return true;
  }

  /** Resolves when no turn runs (shutdown, tests). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running.values()]);
  }

  /**
   * Continues every workflow of these users that stopped mid-run (not the ones waiting for a
   * person), one after another so a restart does not start every deployment at once; resolves when
   * they have all finished, with how many there were.
   */
  async continueInterrupted(userIds: string[]): Promise<number> {
    let continued = 0;
    for (const userId of userIds) {
      for (const session of await this.sessions.list(userId, SESSIONS_CHECKED_PER_USER)) {
        await new Promise<void>((resolve) => {
          const started = this.start(session.id, async (listener) => {
            try {
              const result = await this.chat.continueInterrupted({ userId, sessionId: session.id, listener });
              if (result) continued += 1;
              return result;
            } finally {
              resolve();
            }
          });
          // A turn the person started meanwhile has the session; it was not interrupted then.
          if (!started) resolve();
        });
      }
    }
    if (continued > 0) this.log.warn({ continued }, 'continued workflows interrupted by the last shutdown');
    return continued;
  }

  /** The listener every turn gets: each stored event goes to the session's watchers. */
  private readonly publish: EventListener = (event) => {
    this.deliver(event.session_id, event);
  };

  private deliver(sessionId: string, frame: LiveFrame): void {
    for (const watcher of this.watchers.get(sessionId) ?? []) {
      try {
        watcher(frame);
      } catch (error) {
        this.log.warn({ sessionId, error: (error as Error).message }, 'a session watcher failed');
      }
    }
  }

  private turnEnd(result: TurnResult, id: string | undefined): TurnEndFrame {
    return {
      type: 'turn-end',
      session_id: result.sessionId,
      workflow: result.workflow,
      status: result.status,
      ...(id ? { id } : {}),
    };
  }
}
