/** The configuration a deploy asks for, compared field by field with what the function has now. */
import type { FunctionConfiguration, UpdateFunctionConfigurationRequest } from '@aws-sdk/client-lambda';

/** The settable fields deploy_lambda manages; anything the caller leaves out is left as it is. */
export interface DesiredConfiguration {
  runtime: string;
  handler: string;
  role_arn: string;
  memory_size?: number | undefined;
  timeout?: number | undefined;
  description?: string | undefined;
  environment?: Record<string, string> | undefined;
}

type ConfigurationUpdate = Omit<UpdateFunctionConfigurationRequest, 'FunctionName'>;

export interface ConfigurationDiff {
  /** One human-readable line per changed field; values of environment variables are never shown. */
  changes: string[];
  /** The fields to send to UpdateFunctionConfiguration. */
  update: ConfigurationUpdate;
  /** The same fields with their current values, to restore on rollback. */
  previous: ConfigurationUpdate;
}

function sameVariables(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => b[key] === a[key]);
}

function describeVariables(before: Record<string, string>, after: Record<string, string>): string {
  const added = Object.keys(after).filter((key) => !(key in before));
  const removed = Object.keys(before).filter((key) => !(key in after));
  const changed = Object.keys(after).filter((key) => key in before && before[key] !== after[key]);
  const parts = [
    added.length ? `add ${added.join(', ')}` : '',
    removed.length ? `remove ${removed.join(', ')}` : '',
    changed.length ? `change ${changed.join(', ')}` : '',
  ].filter(Boolean);
  return `Environment: ${parts.join('; ')}`;
}

export function configurationDiff(
  current: FunctionConfiguration,
  desired: DesiredConfiguration,
): ConfigurationDiff {
  const diff: ConfigurationDiff = { changes: [], update: {}, previous: {} };
  const scalar = <K extends 'Runtime' | 'Handler' | 'Role' | 'MemorySize' | 'Timeout' | 'Description'>(
    field: K,
    wanted: ConfigurationUpdate[K] | undefined,
    fallback: ConfigurationUpdate[K],
  ) => {
    if (wanted === undefined) return;
    const before = (current[field] ?? fallback) as ConfigurationUpdate[K];
    if (before === wanted) return;
    diff.update[field] = wanted;
    diff.previous[field] = before;
    diff.changes.push(`${field} ${JSON.stringify(before)} -> ${JSON.stringify(wanted)}`);
  };
  scalar('Runtime', desired.runtime as ConfigurationUpdate['Runtime'], undefined);
  scalar('Handler', desired.handler, undefined);
  scalar('Role', desired.role_arn, undefined);
  scalar('MemorySize', desired.memory_size, 128);
  scalar('Timeout', desired.timeout, 3);
  scalar('Description', desired.description, '');
  if (desired.environment !== undefined) {
    const before = current.Environment?.Variables ?? {};
    if (!sameVariables(before, desired.environment)) {
      diff.update.Environment = { Variables: desired.environment };
      diff.previous.Environment = { Variables: before };
      diff.changes.push(describeVariables(before, desired.environment));
    }
  }
  return diff;
}
