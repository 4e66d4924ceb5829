/** Which ECS service a conversation is about: the fields the model extracts, and how to ask for the rest. */
import { z } from 'zod';
import type { FormField } from '../../protocol/events.js';
import { clusterSchema, lastSegment, serviceSchema } from '../../tools/aws/ecs-common.js';
import { regionSchema } from '../../tools/aws/regions.js';

export const ecsTargetFields = {
  cluster: clusterSchema.describe('Name of the ECS cluster the service runs in, e.g. prod-cluster'),
  service: serviceSchema.describe('Name of the ECS service to diagnose, e.g. api'),
  region: regionSchema.describe('AWS region of the cluster, e.g. us-east-1'),
} as const;

export const ecsTargetSchema = z.object(ecsTargetFields).partial();
export type EcsTargetDraft = z.infer<typeof ecsTargetSchema>;

/** A service that exists: names (never ARNs) and its region. */
export interface EcsTarget {
  cluster: string;
  service: string;
  region: string;
}

export type TargetField = keyof typeof ecsTargetFields;

/** Keeps each field that is valid on its own, as a plain name (an ARN becomes its last segment). */
export function acceptTargetFields(candidate: Record<string, unknown>): EcsTargetDraft {
  const accepted: Record<string, string> = {};
  for (const [name, schema] of Object.entries(ecsTargetFields)) {
    const value = candidate[name];
    if (value === undefined || value === null || value === '') continue;
    const parsed = (schema as z.ZodType<string>).safeParse(value);
    if (parsed.success) accepted[name] = name === 'region' ? parsed.data : lastSegment(parsed.data);
  }
  return accepted as EcsTargetDraft;
}

/** Words of three letters or more the person used, lower-cased: "My API service" -> api, service. */
function wordsOf(text: string): Set<string> {
  return new Set(text.toLowerCase().match(/[a-z0-9]{3,}/g) ?? []);
}

const GENERIC = new Set(['service', 'services', 'cluster', 'clusters', 'ecs', 'task', 'tasks', 'the', 'and']);

/**
 * Names the person pointed at by a word: "my checkout service" picks `shop-checkout` among
 * `shop-checkout` and `shop-billing`. Generic words (service, cluster) never pick anything.
 */
export function namesMentioned(names: string[], text: string): string[] {
  const words = wordsOf(text);
  return names.filter((name) =>
    name
      .toLowerCase()
      .split(/[^a-z0-9]+/)
      .some((part) => part.length >= 3 && !GENERIC.has(part) && words.has(part)),
  );
}

/** The name `candidate` stands for among `names`, if it is one of them. */
export function findName(names: string[], candidate: string | undefined): string | undefined {
  if (!candidate) return undefined;
  return (
    names.find((name) => name === candidate) ??
    names.find((name) => name.toLowerCase() === candidate.toLowerCase())
  );
}

/** What the form asks for the missing fields; a select when the names are known. */
export function targetFormFields(
  missing: TargetField[],
  options: Partial<Record<TargetField, string[]>>,
  draft: EcsTargetDraft,
): FormField[] {
  return missing.map((name) => {
    const choices = options[name] ?? [];
    const field: FormField = {
      name,
      label: name,
      description: ecsTargetFields[name].description ?? name,
      kind: choices.length > 0 ? 'select' : 'text',
      required: true,
      ...(choices.length > 0 ? { options: choices } : {}),
    };
    if (draft[name] !== undefined) field.value = draft[name];
    return field;
  });
}
