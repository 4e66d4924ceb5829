/**
 * A conversation: stores the transcript and every event (with its sequence number), routes each
 * message to a workflow, runs the workflow's graph until it finishes or pauses for the person,
 * and resumes it with the person's answer. Graph state lives in the store's checkpointer, so a
 * paused or half-done workflow continues after a restart.
 */
import { randomUUID } from 'node:crypto';
import { CopilotError } from '../errors/copilot-error.js';
import { redactor } from '../guardrails/redaction.js';
import { discardAll } from '../guardrails/sealed-values.js';
import type { AgentEvent } from '../protocol/events.js';
import { interruptAnswerSchema } from '../protocol/events.js';
import { telemetryFor } from '../telemetry/create-telemetry.js';
import { observeGraph } from '../telemetry/observe.js';
import { chatReply } from './chat-reply.js';
import { FirstEventGate } from './first-event-gate.js';
import { sealFormSecrets } from './form-secrets.js';
import { routeMessage, type Workflow } from './router.js';
import { type AgentRuntime, type SessionContext, sessionModel } from './runtime.js';
import { say } from './say.js';
import { durabilityOf, recordTurnInput, type TurnInput, unfinishedTurn } from './turn-journal.js';
import { graphInput, lastThread, type ThreadPointer, WorkflowThreads } from './workflow-threads.js';

export type EventListener = (event: AgentEvent & { seq: number; session_id: string }) => void;

export interface TurnResult {
  sessionId: string;
  workflow: Workflow;
  /** `waiting` when the workflow paused for a form, credentials or an approval. */
  status: 'waiting' | 'done';
  /** What the paused workflow waits for. */
  waitingFor?: unknown;
}

/** The agent that routes each message (its `route` step shows as a node like the workflows' own). */
const ORCHESTRATOR = 'conversation-orchestrator';

export class ChatSessions {
  private readonly threads: WorkflowThreads;
  private readonly firstEvents = new FirstEventGate();

  constructor(private readonly runtime: AgentRuntime) {
    this.threads = new WorkflowThreads(runtime.store.checkpointer);
  }

  /** Handles one message from the person; creates the session when `sessionId` is absent. */
  async send(input: {
    userId: string;
    sessionId?: string;
    /** `sessionId` was just made up for a new conversation (the WebSocket's hello named it): no look-up. */
    newSession?: boolean;
    text: string;
    listener?: EventListener;
    /** Values the person marked secret: masked in every sink from now on. */
    secrets?: string[];
  }): Promise<TurnResult> {
    const acknowledged = this.firstEvents.enter();
    try {
      return await this.handle(input, acknowledged);
    } finally {
      acknowledged();
    }
  }

  private async handle(
    input: Parameters<ChatSessions['send']>[0],
    acknowledged: () => void,
  ): Promise<TurnResult> {
    redactor.addSecrets(input.secrets ?? []);
    const sessionId = input.sessionId ?? randomUUID();
    const text = redactor.text(input.text);
    // An id nobody can own yet needs no look-up, and its row can wait until the first event is out.
    // A given id that is not this person's is created before anything is written under it: that
    // fails if the id is someone else's.
    const fresh = input.sessionId === undefined || input.newSession === true;
    const existing = fresh ? undefined : await this.runtime.store.sessions.get(input.userId, sessionId);
    if (!fresh && !existing) await this.createSession(input.userId, sessionId, text);
    const context = this.contextFor(sessionId, input.userId, input.listener);
    const userTurn = { sessionId, role: 'user' as const, content: text };

    // The first event says the orchestrator has the message, before any model call: with a hosted
    // model routing alone takes a second, and a person should see at once that something happens.
    const routing = Date.now();
    await context.emit({ type: 'node-start', node: 'route', agent: ORCHESTRATOR });
    acknowledged();
    if (fresh) await this.createSession(input.userId, sessionId, text);
    // A session this message created has no workflow to look up.
    const current = existing ? await this.activeThread(sessionId) : undefined;
    // A workflow its process left mid-turn finishes that turn first: a new message must not start
    // another thread and strand it half done (a deployment part-created, never rolled back).
    const interrupted = existing ? await this.interruptedTurn(sessionId) : undefined;
    await this.firstEvents.clear();
    const workflow = await routeMessage(sessionModel(this.runtime, context), text);
    await context.emit({
      type: 'node-end',
      node: 'route',
      agent: ORCHESTRATOR,
      status: 'ok',
      latency_ms: Date.now() - routing,
    });
    if (interrupted) {
      await this.runtime.store.sessions.appendTurn(input.userId, userTurn);
      await say(
        context,
        'Your previous request was interrupted when aws-copilot stopped; it continues now. Send this message again once it is done.',
      );
      return this.run(interrupted.pointer, context, interrupted.turn);
    }
    const currentState = current && (await this.threads.state(current));
    if (current && currentState?.waitingFor !== undefined) {
      // A new deploy or ECS request switches topic; anything else belongs to the paused workflow.
      const switching = (workflow === 'deploy' || workflow === 'ecs') && workflow !== current.workflow;
      if (!switching) {
        await this.runtime.store.sessions.appendTurn(input.userId, userTurn);
        const { waitingFor } = currentState;
        if ((waitingFor as { type?: string } | undefined)?.type === 'approval') {
          // Chat text never answers an approval: only the explicit approve/reject does.
          await say(
            context,
            'A plan is waiting for your decision: approve or reject it, or ask for something else.',
          );
          return { sessionId, workflow: current.workflow, status: 'waiting', waitingFor };
        }
        return this.run(current, context, {
          input: { kind: 'answer', answer: { kind: 'form', form_id: 'chat', values: {} }, text },
          from: currentState.checkpointId,
        });
      }
    }
    // The choice goes out before the bookkeeping writes: under load every store round trip ahead
    // of an event is time the person waits.
    await context.emit({ type: 'route-select', workflow });
    await this.runtime.store.sessions.appendTurn(input.userId, userTurn);
    await this.runtime.store.sessions.setWorkflow(input.userId, sessionId, workflow);
    const pointer: ThreadPointer = { workflow, threadId: `${sessionId}/${workflow}/${randomUUID()}` };
    await this.runtime.store.events.append(sessionId, 'thread-start', pointer);
    if (workflow === 'chat') {
      await chatReply(this.runtime, context, text);
      return { sessionId, workflow, status: 'done' };
    }
    return this.run(pointer, context, { input: { kind: 'message', text }, from: null });
  }

  /** Resumes a paused workflow with the person's answer (form values, an approval, credentials stored). */
  async answer(input: {
    userId: string;
    sessionId: string;
    answer: unknown;
    listener?: EventListener;
  }): Promise<TurnResult> {
    const parsed = interruptAnswerSchema.safeParse(input.answer);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new CopilotError(
        'invalid_input',
        `answer.${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`,
      );
    }
    const session = await this.runtime.store.sessions.get(input.userId, input.sessionId);
    if (!session) throw new CopilotError('not_found', `session ${input.sessionId} not found`);
    const current = await this.activeThread(session.id);
    const state = current && (await this.threads.state(current));
    if (!current || state?.waitingFor === undefined) {
      throw new CopilotError('conflict', 'nothing in this session is waiting for an answer');
    }
    // The person's words in an approval are stored (decision record, checkpoint): redacted first;
    // a form's secrets are sealed before the graph (and so its checkpoint) ever holds them.
    const answer =
      parsed.data.kind === 'approval' && parsed.data.reason
        ? { ...parsed.data, reason: redactor.text(parsed.data.reason) }
        : parsed.data.kind === 'form'
          ? {
              ...parsed.data,
              values: await sealFormSecrets(parsed.data.values, state.waitingFor, (clear) =>
                this.runtime.secrets.seal(input.userId, clear),
              ),
            }
          : parsed.data;
    return this.run(current, this.contextFor(session.id, input.userId, input.listener), {
      input: { kind: 'answer', answer },
      from: state.checkpointId,
    });
  }

  /**
   * Continues a workflow that stopped mid-run (the process died): a turn saved step by step
   * restarts the step it was in from its last checkpoint, and the deployment journal keeps
   * finished steps from running again; a turn saved only at its end (see turn-journal.ts) runs
   * again from its start. Returns undefined when nothing was running.
   */
  async continueInterrupted(input: {
    userId: string;
    sessionId: string;
    listener?: EventListener;
  }): Promise<TurnResult | undefined> {
    const session = await this.runtime.store.sessions.get(input.userId, input.sessionId);
    if (!session) throw new CopilotError('not_found', `session ${input.sessionId} not found`);
    const interrupted = await this.interruptedTurn(session.id);
    if (!interrupted) return undefined;
    const context = this.contextFor(session.id, input.userId, input.listener);
    return this.run(interrupted.pointer, context, interrupted.turn);
  }

  /** The turn a session's last workflow was in when its process died, if it was in one. */
  private async interruptedTurn(sessionId: string) {
    const records = await this.runtime.store.events.listAfter(sessionId, 0);
    const pointer = lastThread(records);
    if (!pointer) return undefined;
    const state = await this.threads.state(pointer);
    if (state.unfinishedSteps)
      return { pointer, turn: { input: 'continued' as const, from: state.checkpointId } };
    const unfinished = unfinishedTurn(records, pointer.threadId, state.checkpointId);
    if (!unfinished) return undefined;
    return { pointer, turn: { input: unfinished.input, from: state.checkpointId, replayed: true } };
  }

  private async run(
    pointer: ThreadPointer,
    context: SessionContext,
    turn: { input: TurnInput | 'continued'; from: string | null; replayed?: boolean },
  ): Promise<TurnResult> {
    const durability = durabilityOf(turn.input);
    const config = { ...this.configFor(pointer, context), durability };
    if (turn.input !== 'continued' && !turn.replayed) {
      await recordTurnInput(this.runtime.store, context.sessionId, {
        thread_id: pointer.threadId,
        from_checkpoint: turn.from,
        input: turn.input,
      });
    }
    const observed = await observeGraph(telemetryFor(this.runtime), {
      sessionId: context.sessionId,
      correlationId: pointer.threadId,
      workflow: pointer.workflow,
    });
    try {
      await observed.run(() => this.threads.graphOf(pointer).invoke(graphInput(turn.input), config));
    } catch (error) {
      await observed.fail(error);
      const copilot = error instanceof CopilotError ? error : undefined;
      await context.emit({
        type: 'error',
        code: copilot?.code ?? 'internal',
        message: redactor.text((error as Error).message),
      });
      return { sessionId: context.sessionId, workflow: pointer.workflow, status: 'done' };
    }
    const { waitingFor, ended, values } = await this.threads.state(pointer);
    // Secrets typed into its forms outlive a workflow only until it ends; retention takes any left.
    if (ended) await discardAll(this.runtime.secrets, context.userId, values).catch(() => 0);
    await observed.end(waitingFor ? 'waiting' : 'ok');
    return {
      sessionId: context.sessionId,
      workflow: pointer.workflow,
      status: waitingFor ? 'waiting' : 'done',
      ...(waitingFor ? { waitingFor } : {}),
    };
  }

  private configFor(pointer: ThreadPointer, context: SessionContext) {
    return {
      configurable: { thread_id: pointer.threadId, runtime: this.runtime, session: context },
      recursionLimit: 100,
    };
  }

  /** The workflow thread this session started last, read back from its stored events. */
  private async activeThread(sessionId: string): Promise<ThreadPointer | undefined> {
    return lastThread(await this.runtime.store.events.listAfter(sessionId, 0));
  }

  private async createSession(userId: string, id: string, text: string): Promise<void> {
    await this.runtime.store.sessions.create({ id, userId, title: text.slice(0, 80) });
  }

  private contextFor(sessionId: string, userId: string, listener: EventListener | undefined): SessionContext {
    const { store } = this.runtime;
    return {
      sessionId,
      userId,
      emit: async (event) => {
        // One redaction for every event, whatever produced it.
        const safe = redactor.value(event);
        const stored = await store.events.append(sessionId, safe.type, safe);
        if (safe.type === 'message-end') {
          await store.sessions.appendTurn(userId, { sessionId, role: 'assistant', content: safe.text });
        }
        listener?.({ ...safe, seq: stored.seq, session_id: sessionId });
      },
    };
  }
}
