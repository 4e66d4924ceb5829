/** A tool's or plan's risk class as a coloured badge whose text is the class itself. */
import type { PlanStep } from '../../../src/protocol/events.js';

const MEANING: Record<PlanStep['risk'], string> = {
  read: 'reads only, changes nothing',
  write: 'creates or changes resources',
  destructive: 'deletes or replaces resources',
};

export function RiskBadge({ risk }: { risk: PlanStep['risk'] }) {
  return (
    <span className={`badge risk-${risk}`} title={`Risk: ${MEANING[risk]}`}>
      {risk}
    </span>
  );
}
