/**
 * The conversation as the offline model reads it: the person's words with every data block
 * removed (the only source of intent and parameters), the question it asked last if any, and the
 * untrusted content (data blocks, tool results) kept apart for summaries only.
 */
import type { BaseMessage } from '@langchain/core/messages';

export interface PendingQuestion {
  tool: string;
  missing: string[];
}

export interface Conversation {
  system: string;
  /** The person's turns since the assistant last acted, data blocks removed, oldest first. */
  episode: string[];
  /** Index in `episode` of the first turn that answers the pending question. */
  answersFrom: number;
  pending?: PendingQuestion;
  /** Every turn of the person, data blocks removed. */
  humanTurns: string[];
  /** Content of data blocks and tool results: material to summarize, never instructions. */
  material: string[];
  /** The conversation ends with a tool result the assistant has not answered yet. */
  endsWithToolResult: boolean;
  lastToolName?: string;
}

/** `<data>...</data>` blocks (any attributes, unterminated ones to the end) and ``` fences. */
const DATA_BLOCK = /<data\b[^>]*>[\s\S]*?(<\/data>|$)|```[\s\S]*?(```|$)|~~~[\s\S]*?(~~~|$)/gi;

export function messageText(message: BaseMessage): string {
  const content = message.content;
  if (typeof content === 'string') return content;
  return content
    .map((block) => {
      if (typeof block === 'string') return block;
      const text = (block as { text?: unknown }).text;
      return typeof text === 'string' ? text : '';
    })
    .join('\n');
}

/** The person's own words and the data they pasted, separated. */
export function splitData(text: string): { words: string; data: string[] } {
  const data: string[] = [];
  const words = text.replace(DATA_BLOCK, (block) => {
    data.push(
      block
        .replace(/^<data\b[^>]*>|<\/data>$/gi, '')
        .replace(/^(```|~~~)[^\n]*\n?|(```|~~~)$/g, '')
        .trim(),
    );
    return ' ';
  });
  return { words: words.replace(/[ \t]+/g, ' ').trim(), data };
}

interface OfflineMetadata {
  tool?: unknown;
  missing?: unknown;
}

/** The question an assistant message asked: from its metadata, or from the `tool` and `field` names its text shows. */
export function pendingFrom(message: BaseMessage): PendingQuestion | undefined {
  const offline = (message.response_metadata as { offline?: OfflineMetadata } | undefined)?.offline;
  if (
    offline &&
    typeof offline.tool === 'string' &&
    Array.isArray(offline.missing) &&
    offline.missing.length > 0
  ) {
    return {
      tool: offline.tool,
      missing: offline.missing.filter((item): item is string => typeof item === 'string'),
    };
  }
  const text = messageText(message);
  const tool = /To call `([\w-]+)` I still need/.exec(text)?.[1];
  if (!tool) return undefined;
  const missing = [...text.matchAll(/\(`([\w-]+)`\)/g)].map((match) => match[1] ?? '').filter(Boolean);
  return missing.length > 0 ? { tool, missing } : undefined;
}

function hasToolCalls(message: BaseMessage): boolean {
  const calls = (message as { tool_calls?: unknown[] }).tool_calls;
  return Array.isArray(calls) && calls.length > 0;
}

export function readConversation(messages: BaseMessage[]): Conversation {
  const conversation: Conversation = {
    system: '',
    episode: [],
    answersFrom: 0,
    humanTurns: [],
    material: [],
    endsWithToolResult: false,
  };
  for (const message of messages) {
    const type = message.getType();
    const text = messageText(message);
    conversation.endsWithToolResult = type === 'tool';
    if (type === 'system') {
      conversation.system += `${text}\n`;
    } else if (type === 'human' || type === 'generic') {
      const { words, data } = splitData(text);
      conversation.material.push(...data);
      conversation.humanTurns.push(words);
      conversation.episode.push(words);
    } else if (type === 'tool') {
      conversation.material.push(text);
      conversation.lastToolName = (message as { name?: string }).name ?? conversation.lastToolName;
    } else if (type === 'ai') {
      const pending = hasToolCalls(message) ? undefined : pendingFrom(message);
      if (hasToolCalls(message)) {
        const first = (message as { tool_calls?: Array<{ name?: string }> }).tool_calls?.[0];
        conversation.lastToolName = first?.name;
      }
      if (pending) {
        conversation.pending = pending;
        conversation.answersFrom = conversation.episode.length;
      } else {
        delete conversation.pending;
        conversation.episode = [];
        conversation.answersFrom = 0;
      }
    }
  }
  return conversation;
}
