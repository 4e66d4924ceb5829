/** The page of each route, and the document title that goes with it. */
import { useEffect } from 'react';
import { Link } from '../components/link.js';
import { paths, type Route } from '../lib/router.js';
import { ChatPage } from './chat-page.js';
import { CredentialsPage } from './credentials-page.js';
import { DeploymentPage } from './deployment-page.js';
import { HistoryPage } from './history-page.js';
import { ReportPage } from './report-page.js';
import { TimelinePage } from './timeline-page.js';

const TITLES: Record<Route['page'], string> = {
  chat: 'Chat',
  history: 'Deployments',
  deployment: 'Deployment',
  report: 'Report',
  credentials: 'Credentials',
  timeline: 'Timeline',
  'not-found': 'Not found',
};

export function PageForRoute({ route }: { route: Route }) {
  useEffect(() => {
    document.title = `${TITLES[route.page]} · aws-copilot`;
  }, [route.page]);

  switch (route.page) {
    case 'chat':
      return <ChatPage {...(route.sessionId ? { sessionId: route.sessionId } : {})} />;
    case 'history':
      return <HistoryPage />;
    case 'deployment':
      return <DeploymentPage deploymentId={route.deploymentId} />;
    case 'report':
      return <ReportPage reportId={route.reportId} />;
    case 'credentials':
      return <CredentialsPage />;
    case 'timeline':
      return <TimelinePage {...(route.sessionId ? { sessionId: route.sessionId } : {})} />;
    case 'not-found':
      return (
        <section className="stack">
          <h1>Not found</h1>
          <p>
            Nothing lives at <code>{route.path}</code>. <Link to={paths.chat()}>Back to the chat</Link>
          </p>
        </section>
      );
  }
}
