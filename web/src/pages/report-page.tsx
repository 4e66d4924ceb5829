/** One report (ECS triage, repair plan, verification, summary) rendered from its markdown. */
import { reportAnswerSchema } from '../../../src/protocol/api.js';
import { Markdown } from '../components/markdown.js';
import { ProblemMessage } from '../components/problem-message.js';
import { formatTime } from '../lib/format.js';
import { useApi } from '../lib/use-api.js';

export function ReportPage({ reportId }: { reportId: string }) {
  const answer = useApi(`/reports/${encodeURIComponent(reportId)}`, reportAnswerSchema);
  const report = answer.data?.report;
  return (
    <article className="stack report">
      <h1>{report ? report.name : 'Report'}</h1>
      {answer.error ? <ProblemMessage message={answer.error} /> : null}
      {answer.loading && !report ? <p role="status">Loading…</p> : null}
      {report ? (
        <>
          <p className="hint">Saved {formatTime(report.at)}</p>
          <Markdown text={report.markdown} />
        </>
      ) : null}
    </article>
  );
}
