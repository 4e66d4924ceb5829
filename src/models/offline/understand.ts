/**
 * The offline model's decision for one turn: call a tool with the arguments found, ask for what a
 * tool still needs, report a tool result, or answer in text. Deterministic: the same messages
 * always give the same decision.
 */
import type { BaseMessage } from '@langchain/core/messages';
import { type Conversation, readConversation } from './conversation.js';
import { findMentions } from './entities.js';
import { chooseEnumMember } from './enum-choice.js';
import { extractArgs } from './extract.js';
import { CLEAR_MATCH, chooseVariant, rankTools, type ScoredTool } from './intent.js';
import { ambiguousText, askText, capabilitiesText, toolResultText } from './replies.js';
import { requestConcepts } from './request-concepts.js';
import { plainReply } from './summarize.js';
import type { ToolSpec } from './tool-spec.js';

export type ToolChoiceSetting = 'auto' | 'none' | 'any' | { name: string } | undefined;

export interface PartialCall {
  tool: string;
  args: Record<string, unknown>;
  missing: string[];
}

export type Decision =
  | { kind: 'call'; tool: string; args: Record<string, unknown> }
  | { kind: 'text'; text: string; offline?: PartialCall & { alternatives?: string[] } };

/** Arguments of `spec` gathered over several turns, later turns overriding earlier ones. */
function gather(
  spec: ToolSpec,
  turns: string[],
  askedFrom: number,
  asked: string[] | undefined,
): PartialCall {
  const joined = findMentions(turns.join('\n'));
  const variant = chooseVariant(spec, requestConcepts(joined), joined);
  let args: Record<string, unknown> = {};
  turns.forEach((turn, index) => {
    const stillAsked = asked?.filter((name) => !(name in args));
    const options = index >= askedFrom && stillAsked ? { asked: stillAsked } : {};
    const extraction = extractArgs(variant, findMentions(turn), options);
    args = { ...args, ...extraction.args };
  });
  classifyEnums(spec, args, turns);
  const missing = variant.fields
    .filter((field) => field.required && !(field.name in args))
    .map((field) => field.name);
  return { tool: spec.name, args, missing };
}

/** A required enum of plain words (`deploy | ecs | chat`) labels the request rather than quoting it. */
function isClassifier(values: unknown[]): boolean {
  return (
    values.length > 1 && values.every((value) => typeof value === 'string' && /^[a-z][a-z_-]*$/.test(value))
  );
}

/**
 * Required enums of plain words (a router's `workflow`) are classified from the latest turn, or
 * from the last few turns when the latest one says nothing either way; a member merely written
 * ("what is ECS?") does not decide by itself.
 */
function classifyEnums(spec: ToolSpec, args: Record<string, unknown>, turns: string[]): void {
  for (const variant of spec.variants) {
    for (const field of variant.fields) {
      const values = field.schema.enum;
      if (!field.required || !values || !isClassifier(values)) continue;
      const members = values.filter((value): value is string => typeof value === 'string');
      const description = field.schema.description ?? '';
      const latest = chooseEnumMember(members, description, findMentions(turns.at(-1) ?? ''));
      const recent = findMentions(turns.slice(-3).join('\n'));
      args[field.name] =
        latest.confident || turns.length < 2
          ? latest.value
          : chooseEnumMember(members, description, recent).value;
    }
  }
}

/** Whether a turn gives a value for a field the assistant asked for. */
function answers(spec: ToolSpec, missing: string[], turn: string): boolean {
  const mentions = findMentions(turn);
  const variant = chooseVariant(spec, requestConcepts(mentions), mentions);
  const found = extractArgs(variant, mentions).args;
  return missing.some((name) => name in found);
}

function rank(tools: ToolSpec[], text: string): ScoredTool[] {
  return rankTools(tools, findMentions(text));
}

function isClear(scored: ScoredTool | undefined): scored is ScoredTool {
  return scored !== undefined && scored.score >= CLEAR_MATCH;
}

/** Two tools nearly tied and neither has more of what it needs: ask which one. */
function isAmbiguous(first: ScoredTool, second: ScoredTool | undefined): boolean {
  if (!second || second.score < first.score * 0.92) return false;
  return second.extraction.missing.length <= first.extraction.missing.length;
}

function toDecision(call: PartialCall, spec: ToolSpec, alternatives: ToolSpec[] = []): Decision {
  if (alternatives.length > 0) {
    return {
      kind: 'text',
      text: ambiguousText([spec, ...alternatives]),
      offline: { ...call, alternatives: alternatives.map((alternative) => alternative.name) },
    };
  }
  if (call.missing.length === 0) return { kind: 'call', tool: call.tool, args: call.args };
  return { kind: 'text', text: askText(spec, call.args, call.missing), offline: call };
}

function decideAuto(conversation: Conversation, tools: ToolSpec[]): Decision {
  const { episode, pending, answersFrom } = conversation;
  const latest = episode.at(-1) ?? conversation.humanTurns.at(-1) ?? '';
  const ranked = rank(tools, latest);
  const [top, second] = ranked;
  const pendingSpec = pending ? tools.find((spec) => spec.name === pending.tool) : undefined;
  if (
    pendingSpec &&
    pending &&
    (!isClear(top) || top.spec.name === pendingSpec.name || answers(pendingSpec, pending.missing, latest))
  ) {
    return toDecision(gather(pendingSpec, episode, answersFrom, pending.missing), pendingSpec);
  }
  if (isClear(top)) {
    const alternatives = isAmbiguous(top, second) && second ? [second.spec] : [];
    return toDecision(gather(top.spec, [latest], 0, undefined), top.spec, alternatives);
  }
  if (episode.length > 1) {
    const [whole] = rank(tools, episode.join('\n'));
    if (isClear(whole)) return toDecision(gather(whole.spec, episode, 0, undefined), whole.spec);
  }
  return { kind: 'text', text: capabilitiesText(tools) };
}

export function decide(messages: BaseMessage[], tools: ToolSpec[], choice: ToolChoiceSetting): Decision {
  const conversation = readConversation(messages);
  const forced = typeof choice === 'object' ? tools.find((spec) => spec.name === choice.name) : undefined;
  if (tools.length === 0 || choice === 'none') return { kind: 'text', text: plainReply(conversation) };
  if (conversation.endsWithToolResult && !forced) {
    return {
      kind: 'text',
      text: toolResultText(conversation.material.at(-1) ?? '', conversation.lastToolName),
    };
  }
  const turns = conversation.humanTurns.length > 0 ? conversation.humanTurns : [''];
  if (forced) {
    const call = gather(forced, turns, Number.POSITIVE_INFINITY, undefined);
    return { kind: 'call', tool: call.tool, args: call.args };
  }
  const decision = decideAuto(conversation, tools);
  if (choice !== 'any' || decision.kind === 'call') return decision;
  // "any": some tool must be called; the one the request matched best, with what was found.
  const best = decision.offline?.tool ?? rank(tools, turns.join('\n'))[0]?.spec.name;
  const spec = tools.find((entry) => entry.name === best) ?? tools[0];
  if (!spec) return decision;
  const call = gather(spec, conversation.episode.length > 0 ? conversation.episode : turns, 0, undefined);
  return { kind: 'call', tool: call.tool, args: call.args };
}
