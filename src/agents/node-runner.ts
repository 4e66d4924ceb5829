/**
 * Wraps a graph node so its start, end, latency and failure reach the session's events and the
 * telemetry bus, and so everything the node calls (tools included) runs in its telemetry scope.
 */
import type { LangGraphRunnableConfig } from '@langchain/langgraph';
import { isGraphInterrupt } from '@langchain/langgraph';
import { telemetryFor } from '../telemetry/create-telemetry.js';
import { observeNode } from '../telemetry/observe.js';
import { runtimeOf, sessionContextOf } from './runtime.js';

export function observedNode<S, U>(
  node: string,
  agent: string,
  work: (state: S, config: LangGraphRunnableConfig) => Promise<U>,
): (state: S, config: LangGraphRunnableConfig) => Promise<U> {
  return async (state, config) => {
    const session = sessionContextOf(config);
    const runtime = runtimeOf(config);
    const started = Date.now();
    // The session's event and the telemetry record go to separate sinks: written side by side.
    const [startFailed, observed] = await Promise.all([
      session.emit({ type: 'node-start', node, agent }).then(
        () => undefined,
        (error: unknown) => ({ error }),
      ),
      observeNode(telemetryFor(runtime), { sessionId: session.sessionId, agent, node }),
    ]);
    if (startFailed) {
      // The telemetry record opened beside it is closed as failed, not left open.
      await observed.fail(startFailed.error);
      throw startFailed.error;
    }
    let status: 'ok' | 'error' = 'ok';
    let paused = false;
    try {
      return await observed.run(() => work(state, config));
    } catch (error) {
      // An interrupt is a pause for a person, not a failure.
      if (isGraphInterrupt(error)) {
        paused = true;
        throw error;
      }
      status = 'error';
      await observed.fail(error);
      throw error;
    } finally {
      await Promise.all([
        session.emit({ type: 'node-end', node, agent, status, latency_ms: Date.now() - started }),
        status === 'ok' ? observed.end(paused ? 'waiting' : 'ok') : undefined,
      ]);
    }
  };
}
