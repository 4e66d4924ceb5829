/**
 * Requirements & Data Intake: the model extracts what the person said into a deploy request;
 * code decides what is still missing and asks for exactly that, as a form the UI renders.
 */
import { randomUUID } from 'node:crypto';
import { HumanMessage, SystemMessage } from '@langchain/core/messages';
import { interrupt, type LangGraphRunnableConfig } from '@langchain/langgraph';
import { z } from 'zod';
import { isSealedValue, type SealedValue } from '../../../guardrails/sealed-values.js';
import type { FormField } from '../../../protocol/events.js';
import { deploymentIdFor } from '../../deployment-id.js';
import { type FormWait, secretFieldsOf } from '../../form-secrets.js';
import { observedNode } from '../../node-runner.js';
import { runtimeOf, sessionContextOf, sessionModel } from '../../runtime.js';
import {
  acceptValidFields,
  type DeployRequest,
  deployRequestSchema,
  formFieldsFor,
  missingFields,
} from '../deploy-request.js';
import type { DeployStateType, DeployUpdate } from '../state.js';

const INTAKE_PROMPT = [
  'You are the Requirements & Data Intake agent of aws-copilot.',
  "Extract the deployment parameters the person stated into submit_deploy_request. Use only the person's words;",
  'leave out anything they did not say. Never copy secrets into fields other than environment.',
].join(' ');

const submitTool = {
  name: 'submit_deploy_request',
  description:
    'Record the deployment parameters the person gave: repository, branch, region, target and the rest.',
  schema: deployRequestSchema,
};

/** Text of the person's messages only: tool output and fetched content never feed parameters. */
function humanText(state: DeployStateType): HumanMessage[] {
  return state.messages.filter(
    (message) => message instanceof HumanMessage || message.getType() === 'human',
  ) as HumanMessage[];
}

async function extractRequest(
  state: DeployStateType,
  config: LangGraphRunnableConfig,
): Promise<DeployRequest> {
  const runtime = runtimeOf(config);
  const human = humanText(state);
  if (human.length === 0) return {};
  try {
    const bound = sessionModel(runtime, sessionContextOf(config)).bindTools?.([submitTool], {
      tool_choice: submitTool.name,
    });
    if (!bound) return {};
    const answer = await bound.invoke([new SystemMessage(INTAKE_PROMPT), ...human], config);
    const call = answer.tool_calls?.find((candidate) => candidate.name === submitTool.name);
    return call ? acceptValidFields(call.args as Record<string, unknown>).accepted : {};
  } catch {
    // The model failing (budget, network) only means the form asks for more.
    return {};
  }
}

/** Environment values are secrets: the state keeps them sealed, whichever way they arrived. */
async function sealEnvironment(
  environment: NonNullable<DeployRequest['environment']>,
  seal: (clear: string) => Promise<SealedValue>,
): Promise<Record<string, string | SealedValue>> {
  const sealed: Record<string, string | SealedValue> = {};
  for (const [name, value] of Object.entries(environment))
    sealed[name] = typeof value === 'string' && value !== '' ? await seal(value) : value;
  return sealed;
}

export const intakeNode = observedNode(
  'intake',
  'requirements-intake',
  async (state: DeployStateType, config): Promise<DeployUpdate> => {
    const runtime = runtimeOf(config);
    const session = sessionContextOf(config);
    // The deployment's id exists from the first turn, so every model call of it counts toward its tokens.
    const deploymentId = state.deploymentId ?? deploymentIdFor(config);
    runtime.budgetFor?.(session.sessionId)?.setDeployment(deploymentId);
    const extracted = await extractRequest(state, config);
    // What the person typed into a form wins over what the model read from the chat.
    const request: DeployRequest = { ...extracted, ...state.request };
    if (request.environment) {
      request.environment = await sealEnvironment(request.environment, (clear) =>
        runtime.secrets.seal(session.userId, clear),
      );
    }
    const credentialsMissing = runtime.hasCredentials
      ? !(await runtime.hasCredentials(session.userId))
      : false;
    return { request, credentialsMissing, deploymentId };
  },
);

/** Fields to ask for now: the request's missing ones, then environment variables the app needs. */
export function pendingFields(state: DeployStateType): FormField[] {
  const missing = missingFields(state.request);
  if (missing.length > 0) return formFieldsFor(missing, state.request);
  const given = state.request.environment ?? {};
  const absent = (state.context?.requiredEnv ?? []).filter((name) => !(name in given));
  return absent.map((name) => ({
    name: `environment.${name}`,
    label: name,
    description: `The app reads the environment variable ${name}; give its value (kept secret)`,
    kind: 'secret' as const,
    required: true,
  }));
}

export const askFormNode = observedNode(
  'ask-form',
  'requirements-intake',
  async (state: DeployStateType, config): Promise<DeployUpdate> => {
    const session = sessionContextOf(config);
    const fields = pendingFields(state);
    const envOnly = fields.every((field) => field.name.startsWith('environment.'));
    await session.emit({
      type: 'form-request',
      form_id: randomUUID(),
      title: envOnly ? 'Environment variables the app needs' : 'A few details to deploy',
      fields,
    });
    return {};
  },
);

const formValues = z.record(z.string(), z.unknown());

const ENVIRONMENT_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Pauses until the person submits the form; merges what is valid, reports what is not. */
export const awaitFormNode = observedNode(
  'await-form',
  'requirements-intake',
  async (state: DeployStateType, config): Promise<DeployUpdate> => {
    const pending = pendingFields(state);
    const wait: FormWait = {
      type: 'form',
      fields: pending.map((field) => field.name),
      secret_fields: secretFieldsOf(pending),
    };
    const answer = interrupt(wait) as unknown;
    const parsed = formValues.safeParse((answer as { values?: unknown })?.values ?? answer);
    if (!parsed.success) return {};
    const given: Record<string, unknown> = {};
    const plain: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(parsed.data)) {
      if (name.startsWith('environment.')) given[name.slice('environment.'.length)] = value ?? '';
      else if (name === 'environment' && value && typeof value === 'object') Object.assign(given, value);
      else plain[name] = value;
    }
    const environment = { ...(state.request.environment ?? {}) };
    for (const [name, value] of Object.entries(given)) {
      if (ENVIRONMENT_NAME.test(name)) environment[name] = isSealedValue(value) ? value : String(value);
    }
    const { accepted } = acceptValidFields(plain);
    if (Object.keys(environment).length === 0) return { request: accepted };
    // ChatSessions seals these before resuming; a value that arrives clear anyway (a graph driven
    // directly) is sealed here, before this node's update is checkpointed.
    const { userId } = sessionContextOf(config);
    const runtime = runtimeOf(config);
    const sealed = await sealEnvironment(environment, (clear) => runtime.secrets.seal(userId, clear));
    return { request: { ...accepted, environment: sealed } };
  },
);

export const askCredentialsNode = observedNode(
  'ask-credentials',
  'requirements-intake',
  async (_state: DeployStateType, config): Promise<DeployUpdate> => {
    await sessionContextOf(config).emit({
      type: 'credential-request',
      form_id: randomUUID(),
      reason:
        'No AWS credentials are configured for you yet. Enter them in the Configure AWS Credentials dialog (or run aws-copilot credentials set); they are encrypted before they are stored and never shown again.',
    });
    return {};
  },
);

/** Pauses until the person says credentials were stored; the check runs again in intake. */
export const awaitCredentialsNode = observedNode(
  'await-credentials',
  'requirements-intake',
  async (): Promise<DeployUpdate> => {
    interrupt({ type: 'credentials' });
    return {};
  },
);
