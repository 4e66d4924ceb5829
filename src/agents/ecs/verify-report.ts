/** verify_post_check.md: the checks after the change, each with what AWS showed. */
import type { EcsTarget } from './ecs-target.js';
import { table } from './markdown.js';
import type { VerificationResult } from './state.js';

export function renderVerifyReport(target: EcsTarget, verification: VerificationResult, at: string): string {
  return [
    `# Post-change check: ${target.service} (cluster ${target.cluster}, ${target.region})`,
    '',
    `Checked at ${at}: **${verification.ok ? 'passed' : 'failed'}**.`,
    '',
    table(
      ['check', 'result', 'what AWS shows'],
      verification.checks.map((check) => [check.name, check.ok ? 'ok' : 'FAILED', check.detail]),
    ),
    '',
  ].join('\n');
}
