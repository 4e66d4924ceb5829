/** One item of the conversation, drawn by its kind. */
import type { ChatItem } from '../lib/conversation.js';
import { paths } from '../lib/router.js';
import { CredentialRequestCard } from './credential-request-card.js';
import { DeploymentProgress } from './deployment-progress.js';
import { FormRequestCard } from './form-request-card.js';
import { Link } from './link.js';
import { Markdown } from './markdown.js';
import { PlanCard } from './plan-card.js';
import { ToolCallLine } from './tool-call-line.js';

export function ChatItemView({ item }: { item: ChatItem }) {
  switch (item.kind) {
    case 'user':
      return (
        <article className="message user" aria-label="You said">
          <p className="message-text">{item.text}</p>
        </article>
      );
    case 'assistant':
      return (
        <article className="message assistant" aria-label="Assistant" aria-busy={item.streaming}>
          <Markdown text={item.text} />
        </article>
      );
    case 'form':
      return <FormRequestCard item={item} />;
    case 'approval':
      return <PlanCard item={item} />;
    case 'credentials':
      return <CredentialRequestCard item={item} />;
    case 'compliance':
      return (
        <p className={`note compliance compliance-${item.event.decision}`}>
          <strong>Compliance review: {item.event.decision}</strong> — {item.event.reason}{' '}
          <code>{item.event.reason_code}</code>
        </p>
      );
    case 'tool':
      return <ToolCallLine item={item} />;
    case 'deployment':
      return <DeploymentProgress item={item} />;
    case 'report':
      return (
        <p className="note">
          Report saved: <Link to={paths.report(item.event.report_id)}>{item.event.name}</Link>
        </p>
      );
    case 'error':
      return (
        <p className="note error-note">
          <strong>Error {item.event.code}:</strong> {item.event.message}
        </p>
      );
  }
}
