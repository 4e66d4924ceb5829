/** The specification's evaluation metrics, computed from the deployment history in the store. */
import type { DeploymentRecord } from '../store/ports.js';

export interface DeploymentMetrics {
  deployments: number;
  /** Succeeded / finished (a plan the person rejected is not a failed deployment). */
  success_rate: number | null;
  /** Mean o200k input and output tokens the model spent per deployment. */
  tokens_per_deployment: { input: number; output: number } | null;
  /** Share of executed plan steps that were previewed first (the target is 1). */
  dry_run_coverage: number | null;
  /** Mean failed rounds before a deployment succeeded, over those that needed any. */
  iterations_to_resolve: number | null;
}

interface ResultShape {
  reason?: string;
  attempts?: number;
  dry_run_coverage?: number;
  tokens?: { deployment?: { input_used: number; output_used: number } } | null;
}

const mean = (values: number[]) =>
  values.length === 0 ? null : values.reduce((sum, value) => sum + value, 0) / values.length;

export function deploymentMetrics(records: DeploymentRecord[]): DeploymentMetrics {
  const result = (record: DeploymentRecord) => (record.result ?? {}) as ResultShape;
  const finished = records.filter(
    (record) =>
      ['succeeded', 'failed', 'rolled-back', 'escalated'].includes(record.status) &&
      result(record).reason !== 'rejected',
  );
  const succeeded = finished.filter((record) => record.status === 'succeeded');
  const tokens = finished
    .map((record) => result(record).tokens?.deployment)
    .filter((value) => value !== undefined);
  const inputMean = mean(tokens.map((value) => value.input_used));
  const outputMean = mean(tokens.map((value) => value.output_used));
  return {
    deployments: records.length,
    success_rate: finished.length === 0 ? null : succeeded.length / finished.length,
    tokens_per_deployment:
      inputMean === null || outputMean === null
        ? null
        : { input: Math.round(inputMean), output: Math.round(outputMean) },
    dry_run_coverage: mean(
      finished
        .map((record) => result(record).dry_run_coverage)
        .filter((value): value is number => typeof value === 'number'),
    ),
    iterations_to_resolve: mean(
      succeeded.map((record) => result(record).attempts ?? 0).filter((attempts) => attempts > 0),
    ),
  };
}
