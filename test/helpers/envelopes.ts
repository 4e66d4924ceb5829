/** Unwrapping tool envelopes in tests: the result of a call expected to succeed, the error of one expected to fail. */
import type { ToolEnvelope, ToolErrorBody } from '../../src/tools/envelope.js';

/** The result of an ok envelope; otherwise the test fails with the error the call returned. */
export function expectOk<R>(envelope: ToolEnvelope<R>): R {
  if (envelope.status !== 'ok')
    throw new Error(`${envelope.action} failed: ${JSON.stringify(envelope.error)}`);
  return envelope.result;
}

/** The error of a failed envelope; otherwise the test fails with the result the call returned. */
export function expectError(envelope: ToolEnvelope): ToolErrorBody {
  if (envelope.status !== 'error')
    throw new Error(`expected ${envelope.action} to fail, got ${JSON.stringify(envelope.result)}`);
  return envelope.error;
}
