/**
 * First events before model work. When many messages arrive at once, each needs a store write or
 * two before its first event and then milliseconds of CPU (routing, the model): on one event loop
 * the later messages' first events would wait behind the earlier messages' model work. Messages
 * hold the gate until their first event is out, and model work waits (a bounded while) until no
 * message is still waiting for its first event.
 */

/** Longest model work waits for other messages' first events: a steady stream must not starve it. */
const MAX_WAIT_MS = 100;

export class FirstEventGate {
  private waitingFirstEvent = 0;
  private readonly idle: Array<() => void> = [];

  /** A message arrived: returns what to call once its first event is out (calling again is harmless). */
  enter(): () => void {
    this.waitingFirstEvent += 1;
    let left = false;
    return () => {
      if (left) return;
      left = true;
      this.waitingFirstEvent -= 1;
      if (this.waitingFirstEvent === 0) for (const resolve of this.idle.splice(0)) resolve();
    };
  }

  /** Resolves when no message waits for its first event, or after MAX_WAIT_MS. */
  async clear(): Promise<void> {
    if (this.waitingFirstEvent === 0) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        const index = this.idle.indexOf(done);
        if (index >= 0) this.idle.splice(index, 1);
        resolve();
      }, MAX_WAIT_MS);
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      this.idle.push(done);
    });
  }
}
