/**
 * Answers without tools: when the system prompt asks for a summary, an explanation or a report,
 * a short extractive answer built only from sentences of the provided content (so it can never
 * invent an id); otherwise a brief reply saying what the offline assistant can do.
 */
import type { Conversation } from './conversation.js';

const SUMMARY_TASK =
  /summari[sz]|summary|explain|report|describe|overview|tl;?dr|digest|findings|condense|recap/i;

/** Lines that usually carry the facts of a log, a result or a README. */
const SIGNAL =
  /\b(error|errors|fail(ed|ure|ing)?|exception|exit(ed)? code|oom|out of memory|killed|timeout|timed out|stopped|running|pending|healthy|unhealthy|status|created|deployed|rolled back|warning|denied|not found|5\d\d|latency|cpu|memory|version|port|region|url|endpoint)\b/i;

function sentences(text: string): string[] {
  return text
    .replace(/\r/g, '')
    .split(/(?<=[.!?])\s+|\n+/)
    .map((sentence) => sentence.replace(/^[#>*\-\s]+/, '').trim())
    .filter((sentence) => sentence.length > 2);
}

function clip(text: string, length: number): string {
  return text.length > length ? `${text.slice(0, length - 3)}...` : text;
}

/** First sentences for the gist, then the lines with the most telling words as bullets. */
export function extractiveSummary(material: string[]): string {
  const all = material.flatMap(sentences);
  if (all.length === 0) return 'There is nothing to summarize yet.';
  const lead = all.slice(0, 2).map((sentence) => clip(sentence, 200));
  const findings: string[] = [];
  for (const sentence of all.slice(2)) {
    if (!SIGNAL.test(sentence) || findings.includes(sentence)) continue;
    findings.push(clip(sentence, 160));
    if (findings.length === 5) break;
  }
  const bullets = findings.map((finding) => `- ${finding}`);
  return [lead.join(' '), ...(bullets.length > 0 ? ['', 'Key points:', ...bullets] : [])].join('\n');
}

const GREETING = /^\s*(hi|hello|hey|good (morning|afternoon|evening)|thanks|thank you)\b/i;

export function plainReply(conversation: Conversation): string {
  const asksSummary = SUMMARY_TASK.test(conversation.system);
  if (asksSummary) {
    const material = conversation.material.length > 0 ? conversation.material : conversation.humanTurns;
    return extractiveSummary(material);
  }
  const latest = conversation.humanTurns.at(-1) ?? '';
  if (GREETING.test(latest)) {
    return "Hello! I'm the offline assistant. Tell me what to do, for example: deploy my app from github.com/acme/shop to us-east-1, or list my EC2 instances in eu-west-1.";
  }
  return 'I am running offline, without a hosted model: I carry out explicit requests (deploy an app, diagnose an ECS service, list, create, stop or update AWS resources) and summarize results. Say what you want done and name the resources involved.';
}
