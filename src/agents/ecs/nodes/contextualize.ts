/**
 * Contextualizer: the model extracts cluster, service and region from the person's words; the
 * list calls then check them and fill what is missing when the account leaves one choice (a
 * single cluster, a single service, or the one service a word of the request names). Anything
 * still open is asked for with a form.
 */
import { HumanMessage, SystemMessage } from '@langchain/core/messages';
import type { LangGraphRunnableConfig } from '@langchain/langgraph';
import { lastSegment } from '../../../tools/aws/ecs-common.js';
import { observedNode } from '../../node-runner.js';
import { ROLES } from '../../roles.js';
import {
  type AgentRuntime,
  runtimeOf,
  type SessionContext,
  sessionContextOf,
  sessionModel,
} from '../../runtime.js';
import {
  acceptTargetFields,
  type EcsTargetDraft,
  ecsTargetSchema,
  findName,
  namesMentioned,
  type TargetField,
} from '../ecs-target.js';
import { readOrNote } from '../read-tool.js';
import { type EcsStateType, type EcsUpdate, moment } from '../state.js';

export const CONTEXTUALIZER = 'ecs-contextualizer';

const CONTEXT_PROMPT = [
  'You are the Contextualizer of the aws-copilot ECS agent.',
  "Extract which ECS service the person means into submit_ecs_target: cluster, service and region, from the person's words only.",
  'Leave out anything they did not say.',
].join(' ');

const submitTool = {
  name: 'submit_ecs_target',
  description: 'Record which ECS service the person is talking about: its cluster, its name and its region.',
  schema: ecsTargetSchema,
};

/** The person's own messages: tool output and AWS text never feed the target. */
export function humanMessages(state: EcsStateType): HumanMessage[] {
  return state.messages.filter(
    (message) => message instanceof HumanMessage || message.getType() === 'human',
  ) as HumanMessage[];
}

export function humanText(state: EcsStateType): string {
  return humanMessages(state)
    .map((message) => (typeof message.content === 'string' ? message.content : ''))
    .join('\n');
}

async function extractTarget(state: EcsStateType, config: LangGraphRunnableConfig): Promise<EcsTargetDraft> {
  const human = humanMessages(state);
  if (human.length === 0) return {};
  try {
    const model = sessionModel(runtimeOf(config), sessionContextOf(config));
    const bound = model.bindTools?.([submitTool], { tool_choice: submitTool.name });
    if (!bound) return {};
    const answer = await bound.invoke([new SystemMessage(CONTEXT_PROMPT), ...human], config);
    const call = answer.tool_calls?.find((candidate) => candidate.name === submitTool.name);
    return call ? acceptTargetFields(call.args as Record<string, unknown>) : {};
  } catch {
    // A model failure (budget, network) only means the form asks for more.
    return {};
  }
}

interface Choice {
  value?: string;
  options: string[];
  /** Said to the person when the choice is not the name they gave. */
  note?: string;
}

const MAX_OPTIONS = 50;

/**
 * One name among those the list call found (`where` says where it looked): the person's word for
 * it, the only one there is, or the only one a word of the request names.
 */
function choose(
  kind: string,
  where: string,
  names: string[] | undefined,
  candidate: string | undefined,
  text: string,
): Choice {
  // Listing failed: the person's word is all there is; triage will find out if it exists.
  if (!names) return { ...(candidate ? { value: candidate } : {}), options: [] };
  const named = findName(names, candidate);
  if (named) return { value: named, options: names };
  const missed = candidate ? `I found no ${kind} named ${candidate} ${where}.` : '';
  if (names.length === 1) {
    const only = names[0] as string;
    return { value: only, options: names, ...(missed ? { note: `${missed} The only one is ${only}.` } : {}) };
  }
  const mentioned = namesMentioned(names, text);
  if (mentioned.length === 1) return { value: mentioned[0] as string, options: names };
  const options = (mentioned.length > 1 ? mentioned : names).slice(0, MAX_OPTIONS);
  const none = options.length === 0 ? `There is no ${kind} ${where}.` : '';
  return { options, note: [missed, none].filter(Boolean).join(' ') };
}

async function listNames(
  runtime: AgentRuntime,
  session: SessionContext,
  errors: string[],
  tool: 'list_clusters' | 'list_services',
  args: Record<string, unknown>,
): Promise<string[] | undefined> {
  const result = await readOrNote<{ cluster_arns?: string[]; service_arns?: string[] }>(
    errors,
    runtime,
    session,
    ROLES.ecsTriage,
    tool,
    args,
  );
  if (!result) return undefined;
  return (result.cluster_arns ?? result.service_arns ?? []).map(lastSegment);
}

export const contextualizeNode = observedNode(
  'contextualize',
  CONTEXTUALIZER,
  async (state: EcsStateType, config): Promise<EcsUpdate> => {
    const runtime = runtimeOf(config);
    const session = sessionContextOf(config);
    // What the person typed into the form wins over what the model read from the chat.
    const draft: EcsTargetDraft = { ...(await extractTarget(state, config)), ...state.given };
    const region = draft.region ?? runtime.settings.region;
    const text = humanText(state);
    const errors: string[] = [];
    const clusterNames = await listNames(runtime, session, errors, 'list_clusters', { region });
    const cluster = choose('cluster', `in ${region}`, clusterNames, draft.cluster, text);
    const notes = [cluster.note].filter((note): note is string => Boolean(note));
    let service: Choice = { options: [] };
    if (cluster.value) {
      const serviceNames = await listNames(runtime, session, errors, 'list_services', {
        cluster: cluster.value,
        region,
      });
      service = choose('service', `in cluster ${cluster.value}`, serviceNames, draft.service, text);
      if (service.note) notes.push(service.note);
    }
    if (cluster.value && service.value) {
      const target = { cluster: cluster.value, service: service.value, region };
      return {
        target,
        pending: undefined,
        timeline: moment(
          'contextualize',
          `Service ${target.service} in cluster ${target.cluster} (${region}).${notes.length > 0 ? ` ${notes.join(' ')}` : ''}`,
        ),
      };
    }
    const fields: TargetField[] = [];
    if (clusterNames?.length === 0) fields.push('region');
    if (!cluster.value) fields.push('cluster');
    fields.push('service');
    if (errors.length > 0) notes.push(`I could not list what is there: ${errors.join('; ')}.`);
    return {
      pending: {
        fields,
        options: { cluster: cluster.options, service: service.options },
        draft: { ...draft, region, ...(cluster.value ? { cluster: cluster.value } : {}) },
        note: notes.join(' '),
      },
    };
  },
);
