/** Wraps a graph node so its start, end, latency and failure reach the session's events and telemetry. */
import { randomUUID } from 'node:crypto';
import type { LangGraphRunnableConfig } from '@langchain/langgraph';
import { isGraphInterrupt } from '@langchain/langgraph';
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
    await session.emit({ type: 'node-start', node, agent });
    let status: 'ok' | 'error' = 'ok';
    let errorCode: string | null = null;
    try {
      return await work(state, config);
    } catch (error) {
      // An interrupt is a pause for a person, not a failure.
      if (isGraphInterrupt(error)) throw error;
      status = 'error';
      errorCode = (error as { code?: string }).code ?? 'internal';
      throw error;
    } finally {
      const latency = Date.now() - started;
      await session.emit({ type: 'node-end', node, agent, status, latency_ms: latency });
      await runtime.store.telemetry
        .append({
          id: randomUUID(),
          sessionId: session.sessionId,
          correlationId: session.sessionId,
          agent,
          phase: node,
          status,
          latencyMs: latency,
          errorCode,
          at: new Date().toISOString(),
        })
        .catch(() => undefined);
    }
  };
}
