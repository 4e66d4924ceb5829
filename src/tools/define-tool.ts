/** The declarative tool definition: one object feeds the model schema, MCP, the CLI, plan cards and IAM policy. */
import type { z } from 'zod';
import type { Settings } from '../config/settings.js';
import type { Logger } from '../telemetry/logger.js';
import type { AwsClientFactory } from './aws/clients.js';

export type Risk = 'read' | 'write' | 'destructive';

/** Something a tool call brought into existence; rollback removes these. */
export interface CreatedResource {
  /** e.g. `ec2:instance`, `s3:bucket`, `lambda:function`. */
  type: string;
  id: string;
  region?: string;
  /** Anything the compensation needs beyond the id (previous version, bucket of an object...). */
  detail?: Record<string, unknown>;
}

export interface PreviewChange {
  kind: 'create' | 'update' | 'delete' | 'no-op' | 'read';
  resource: string;
  /** Human-readable detail, e.g. `CodeSha256 a1b2 -> c3d4`. */
  detail?: string;
}

/**
 * An existing AWS resource a call acts on (the instance it stops, the service it updates): the
 * policy reads its tags, so "ask before anything tagged production" holds for resources the
 * arguments only name by id.
 */
export type ResourceTarget = { region?: string | undefined } & (
  | { kind: 'ec2'; id: string }
  | { kind: 'ecs-cluster'; cluster: string }
  | { kind: 'ecs-service'; cluster: string; service: string }
  | { kind: 'ecs-task'; cluster: string; task: string }
  | { kind: 'lambda-function'; name: string }
  | { kind: 's3-bucket'; bucket: string }
);

/** What a call would do, computed without changing anything. */
export interface ToolPreview {
  summary: string;
  /** How the preview was obtained: AWS's own DryRun, a describe-based diff, a local check, or a read. */
  method: 'aws-dry-run' | 'describe-diff' | 'local-check' | 'read-only';
  changes: PreviewChange[];
  /** Problems found that would make the real call fail or surprise the person. */
  warnings: string[];
}

export interface ToolContext {
  aws: AwsClientFactory;
  settings: Settings;
  /** Absolute path of the workspace; file tools never leave it. */
  workspace: string;
  /** Aborted when the call times out or its caller gives up; pass it to every SDK call and waiter. */
  signal: AbortSignal;
  userId: string;
  log: Logger;
  /** Records a resource the moment it exists, so a failure later in the call can still be undone. */
  created(resource: CreatedResource): void;
  /** Reports progress of long work (uploads, waiters) to whoever is watching. */
  progress(message: string): void;
}

/** What rollback hands to `compensate`: the original arguments, the result if any, what was created. */
export interface CompensationInput<A, R> {
  args: A;
  result?: R;
  created: CreatedResource[];
}

export interface ToolDefinition<S extends z.ZodType = z.ZodType, R = unknown> {
  /** snake_case action name, as the model, MCP clients and the CLI call it. */
  name: string;
  /** One or two sentences for the model and for `tools list`. */
  description: string;
  /** Strict input schema; unknown fields are errors. */
  input: S;
  /** Risk class of the tool in general; see `riskOf` for argument-dependent risk. */
  risk: Risk;
  /** Risk of one particular call, when it can exceed `risk` (scaling a service to 0 is destructive). */
  riskOf?: (args: z.infer<S>) => Risk;
  /** IAM actions the tool needs, for the least-privilege policy. */
  iam: string[];
  /** The effect cannot be undone (terminating, invoking); rollback reports it instead of compensating. */
  irreversible?: boolean;
  /** Repeating the call with the same arguments has no further effect. */
  idempotent?: boolean;
  preview(args: z.infer<S>, context: ToolContext): Promise<ToolPreview>;
  run(args: z.infer<S>, context: ToolContext): Promise<R>;
  /**
   * Undoes what `run` did; required for every tool that changes things unless it is `irreversible`
   * (terminating an instance cannot be undone: rollback then reports it as such).
   */
  compensate?(input: CompensationInput<z.infer<S>, R>, context: ToolContext): Promise<string>;
  /** Resource ids named by a call, for the audit trail. */
  resourceIds?(args: z.infer<S>, result: R | undefined): string[];
  /** The existing resources a call acts on, whose tags the policy reads before the call is approved. */
  targets?(args: z.infer<S>): ResourceTarget[];
}

// biome-ignore lint/suspicious/noExplicitAny: the catalog holds tools of every input type.
export type AnyTool = ToolDefinition<z.ZodType<any>, any>;

export function defineTool<S extends z.ZodType, R>(definition: ToolDefinition<S, R>): ToolDefinition<S, R> {
  if (definition.risk !== 'read' && !definition.compensate && !definition.irreversible) {
    throw new Error(
      `tool ${definition.name} changes things but has neither compensate() nor irreversible: true`,
    );
  }
  return definition;
}

/** A preview for read-only tools: nothing changes. */
export function readOnlyPreview(summary: string): ToolPreview {
  return { summary, method: 'read-only', changes: [], warnings: [] };
}
