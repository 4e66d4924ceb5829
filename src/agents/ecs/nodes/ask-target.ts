/** Asks for the cluster, service or region still unknown, as a form; pauses until it is answered. */
import { randomUUID } from 'node:crypto';
import { interrupt } from '@langchain/langgraph';
import { z } from 'zod';
import { observedNode } from '../../node-runner.js';
import { sessionContextOf } from '../../runtime.js';
import { say } from '../../say.js';
import { acceptTargetFields, targetFormFields } from '../ecs-target.js';
import type { EcsStateType, EcsUpdate } from '../state.js';
import { CONTEXTUALIZER } from './contextualize.js';

export const askTargetNode = observedNode(
  'ask-target',
  CONTEXTUALIZER,
  async (state: EcsStateType, config): Promise<EcsUpdate> => {
    const session = sessionContextOf(config);
    const pending = state.pending;
    if (!pending) return {};
    if (pending.note) await say(session, pending.note);
    await session.emit({
      type: 'form-request',
      form_id: randomUUID(),
      title: 'Which ECS service should I look at?',
      fields: targetFormFields(pending.fields, pending.options, pending.draft),
    });
    return {};
  },
);

const formValues = z.record(z.string(), z.unknown());

/** Pauses until the form is submitted (or the person says more in the chat); keeps what is valid. */
export const awaitTargetNode = observedNode(
  'await-target',
  CONTEXTUALIZER,
  async (state: EcsStateType): Promise<EcsUpdate> => {
    const answer = interrupt({ type: 'form', fields: state.pending?.fields ?? [] }) as unknown;
    const parsed = formValues.safeParse((answer as { values?: unknown })?.values ?? answer);
    if (!parsed.success) return {};
    return { given: acceptTargetFields(parsed.data) };
  },
);
