/**
 * The app: asks the server who is signed in (the start-up URL has set the cookie in single-user
 * mode), shows the sign-in form otherwise, then the header and the page of the current route.
 */
import { useCallback, useEffect, useState } from 'react';
import { type Health, healthSchema, type Me, meSchema } from '../../src/protocol/api.js';
import { AppHeader, SandboxBanner } from './components/app-header.js';
import { CredentialsDialogProvider } from './components/credentials-dialog-provider.js';
import { ProblemMessage } from './components/problem-message.js';
import { SignIn } from './components/sign-in.js';
import { AgentSessionProvider, storedSessionId } from './lib/agent-session.js';
import { ApiFailure, apiCall, apiGet, messageOf, setCsrfToken } from './lib/api.js';
import { matchRoute, type Route, useLocationHref } from './lib/router.js';
import { PageForRoute } from './pages/page-for-route.js';

type AuthState =
  | { status: 'loading' }
  | { status: 'signed-out'; mode: Me['mode'] }
  | { status: 'signed-in'; me: Me }
  | { status: 'failed'; message: string };

async function whoAmI(health: Health): Promise<AuthState> {
  try {
    const me = await apiGet('/auth/me', meSchema);
    setCsrfToken(me.csrfToken);
    return { status: 'signed-in', me };
  } catch (error) {
    if (error instanceof ApiFailure && error.status === 401)
      return { status: 'signed-out', mode: health.mode };
    throw error;
  }
}

export function App() {
  const [health, setHealth] = useState<Health | undefined>(undefined);
  const [auth, setAuth] = useState<AuthState>({ status: 'loading' });
  const route = matchRoute(useLocationHref());

  const load = useCallback(async () => {
    try {
      const answer = await apiGet('/health', healthSchema);
      setHealth(answer);
      setAuth(await whoAmI(answer));
    } catch (error) {
      setAuth({ status: 'failed', message: messageOf(error) });
    }
  }, []);

  useEffect(() => {
    load();
  }, [load]);

  const signedIn = useCallback((me: Me) => {
    setCsrfToken(me.csrfToken);
    setAuth({ status: 'signed-in', me });
  }, []);

  const signOut = useCallback(async () => {
    await apiCall('POST', '/auth/logout').catch(() => undefined);
    setCsrfToken(undefined);
    window.sessionStorage.clear();
    await load();
  }, [load]);

  return (
    <>
      <a className="skip-link" href="#main">
        Skip to main content
      </a>
      <SandboxBanner health={health} />
      {auth.status === 'loading' ? (
        <main id="main" className="centered">
          <p role="status">Loading…</p>
        </main>
      ) : null}
      {auth.status === 'failed' ? (
        <main id="main" className="centered">
          <ProblemMessage message={auth.message} />
          <button type="button" className="primary" onClick={() => window.location.reload()}>
            Reload
          </button>
        </main>
      ) : null}
      {auth.status === 'signed-out' ? <SignIn mode={auth.mode} onSignedIn={signedIn} /> : null}
      {auth.status === 'signed-in' ? (
        <SignedInApp key={auth.me.user.id} me={auth.me} route={route} onSignOut={signOut} />
      ) : null}
    </>
  );
}

function SignedInApp(props: { me: Me; route: Route; onSignOut(): void }) {
  const { me, route, onSignOut } = props;
  // Once: later navigation must not reopen the session.
  const [initialSessionId] = useState(
    () => (route.page === 'chat' ? route.sessionId : undefined) ?? storedSessionId(),
  );
  return (
    <AgentSessionProvider initialSessionId={initialSessionId}>
      <CredentialsDialogProvider>
        <AppHeader me={me} route={route} onSignOut={onSignOut} />
        <main id="main" className={`page page-${route.page}`}>
          <PageForRoute route={route} />
        </main>
      </CredentialsDialogProvider>
    </AgentSessionProvider>
  );
}
