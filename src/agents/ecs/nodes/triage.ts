/** Triage (read-only, role ecs-triage): gathers the evidence, ranks the hypotheses, writes triage_report.md. */
import { CopilotError } from '../../../errors/copilot-error.js';
import { observedNode } from '../../node-runner.js';
import { ROLES } from '../../roles.js';
import { runtimeOf, sessionContextOf } from '../../runtime.js';
import { say } from '../../say.js';
import { gatherEvidence } from '../gather-evidence.js';
import { buildHypotheses } from '../hypotheses.js';
import { REPORT_NAMES, saveReport } from '../save-report.js';
import { type EcsStateType, type EcsUpdate, moment } from '../state.js';
import { renderTriageReport } from '../triage-report.js';
import { humanText } from './contextualize.js';

const SLOW = /\bslow|latenc|time ?outs?\b|timing out|sluggish|overload|high load/i;

export const triageNode = observedNode(
  'triage',
  ROLES.ecsTriage.name,
  async (state: EcsStateType, config): Promise<EcsUpdate> => {
    const runtime = runtimeOf(config);
    const session = sessionContextOf(config);
    const target = state.target;
    if (!target) throw new CopilotError('internal', 'triage without a target');
    const evidence = await gatherEvidence({ runtime, session, target, slow: SLOW.test(humanText(state)) });
    if ('missing' in evidence) {
      return {
        outcome: 'not-found',
        problem: evidence.missing,
        timeline: moment('triage', evidence.missing),
      };
    }
    const hypotheses = buildHypotheses(evidence);
    const at = new Date().toISOString();
    await saveReport(runtime, session, REPORT_NAMES.triage, renderTriageReport(evidence, hypotheses, at));
    const lead = hypotheses[0];
    const service = evidence.service;
    const summary = `${target.service}: running ${service.running_count} of ${service.desired_count}, ${evidence.stopped.length} stopped task(s). Leading hypothesis: ${lead?.title ?? 'none'} (${lead?.confidence ?? '-'}).`;
    await say(session, `Triage done. ${summary}`);
    return { evidence, hypotheses, timeline: moment('triage', summary) };
  },
);
