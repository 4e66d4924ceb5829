/**
 * A workflow's deployment record is named after its thread. The turns before an approval are
 * checkpointed only when they end (see turn-journal.ts), so after a crash such a turn runs again;
 * named this way its second run finds the record the first one created, instead of leaving that
 * one in 'planning' forever beside a second.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { LangGraphRunnableConfig } from '@langchain/langgraph';

export function deploymentIdFor(config: LangGraphRunnableConfig): string {
  const threadId = config.configurable?.thread_id;
  if (typeof threadId !== 'string') return randomUUID();
  const hex = createHash('sha256').update(`deployment:${threadId}`).digest('hex');
  // UUID layout with version 8 (custom, name-based) and the RFC 9562 variant bits.
  const variant = ((Number.parseInt(hex.charAt(16), 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
