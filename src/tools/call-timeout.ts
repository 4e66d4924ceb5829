/** The time limit of one tool call: its own abort signal, fired by the timeout or by the caller giving up. */
import { CopilotError } from '../errors/copilot-error.js';

/**
 * Runs `work` with a signal that aborts after `timeoutMs` or when `outer` aborts, and stops waiting
 * for it at that moment even if it ignores the signal.
 */
export async function withTimeout<T>(
  timeoutMs: number,
  outer: AbortSignal | undefined,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  const timeoutError = new CopilotError(
    'timeout',
    `tool call exceeded its ${Math.round(timeoutMs / 1000)} s limit`,
    {
      retryable: true,
    },
  );
  const timer = setTimeout(() => controller.abort(timeoutError), timeoutMs);
  const onOuterAbort = () =>
    controller.abort(outer?.reason ?? new CopilotError('timeout', 'tool call cancelled'));
  if (outer?.aborted) onOuterAbort();
  else outer?.addEventListener('abort', onOuterAbort, { once: true });
  try {
    return await Promise.race([
      work(controller.signal),
      new Promise<never>((_, reject) => {
        if (controller.signal.aborted) reject(controller.signal.reason);
        controller.signal.addEventListener('abort', () => reject(controller.signal.reason), { once: true });
      }),
    ]);
  } finally {
    clearTimeout(timer);
    outer?.removeEventListener('abort', onOuterAbort);
  }
}
