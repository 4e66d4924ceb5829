/**
 * How much of a turn is saved as it runs. A turn that can change AWS (the one that answers an
 * approval, or one continued after a restart) saves a checkpoint after every step, so a restart
 * resumes from the step it was in and the deployment journal keeps finished steps from running
 * twice. The turns before it change nothing in AWS: intake, preflight, the plan, its review and
 * dry run (the deployment record the plan writes is named after the thread, so a second run finds
 * it). They save once, when they pause for the person or end (LangGraph's "exit" durability), which
 * spares a store transaction per step: a deploy conversation runs about fifteen before its approval.
 *
 * What such a turn would lose to a crash is its input, so that is recorded first, with the
 * checkpoint the turn starts from. After a restart, a thread still at that checkpoint did not
 * finish the turn, and the turn runs again from its start with the same input. The record is the
 * answer as the graph gets it (secrets already sealed, see form-secrets.ts); it is not redacted,
 * since a masked value could not be replayed. A turn that kills its process every time would be
 * run again at every start; none is known, and a person can start the request anew.
 */
import type { InterruptAnswer } from '../protocol/events.js';
import type { EventRecord, Store } from '../store/ports.js';

/** Bookkeeping record in the session's event log (not a protocol event: it has no `type`). */
export const TURN_INPUT_RECORD = 'turn-input';

export type TurnInput =
  /** The message that started the thread (redacted, as in the transcript). */
  | { kind: 'message'; text: string }
  /** An answer to what the thread waits for; `text` when the person answered by chatting. */
  | { kind: 'answer'; answer: InterruptAnswer; text?: string };

export interface TurnRecord {
  thread_id: string;
  /** The checkpoint the turn started from; null when the thread had none yet. */
  from_checkpoint: string | null;
  input: TurnInput;
}

export type Durability = 'exit' | 'async';

/** Per step once an approval is in play; once per turn before. */
export function durabilityOf(input: TurnInput | 'continued'): Durability {
  if (input === 'continued') return 'async';
  return input.kind === 'answer' && input.answer.kind === 'approval' ? 'async' : 'exit';
}

/** Records the input of a turn saved only at its end; turns saved per step need no record. */
export async function recordTurnInput(
  store: Pick<Store, 'events'>,
  sessionId: string,
  record: TurnRecord,
): Promise<void> {
  if (durabilityOf(record.input) !== 'exit') return;
  await store.events.append(sessionId, TURN_INPUT_RECORD, record);
}

/** The last recorded turn of `threadId` when the thread is still where that turn started. */
export function unfinishedTurn(
  records: EventRecord[],
  threadId: string,
  checkpointId: string | null,
): TurnRecord | undefined {
  const last = records
    .filter((record) => record.type === TURN_INPUT_RECORD)
    .map((record) => record.payload as TurnRecord)
    .filter((record) => record.thread_id === threadId)
    .at(-1);
  return last && last.from_checkpoint === checkpointId ? last : undefined;
}
