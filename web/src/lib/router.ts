/**
 * Routing over the History API: four pages do not need a router library. The server answers
 * index.html for every path that is not a file or under /api, so deep links and reloads work.
 */
import { useSyncExternalStore } from 'react';

export type Route =
  | { page: 'chat'; sessionId?: string }
  | { page: 'history' }
  | { page: 'deployment'; deploymentId: string }
  | { page: 'report'; reportId: string }
  | { page: 'credentials' }
  | { page: 'timeline'; sessionId?: string }
  | { page: 'not-found'; path: string };

const NAVIGATE_EVENT = 'aws-copilot:navigate';

function subscribe(onChange: () => void): () => void {
  window.addEventListener('popstate', onChange);
  window.addEventListener(NAVIGATE_EVENT, onChange);
  return () => {
    window.removeEventListener('popstate', onChange);
    window.removeEventListener(NAVIGATE_EVENT, onChange);
  };
}

const currentHref = () => `${window.location.pathname}${window.location.search}`;

/** The current path and query; re-renders on navigation. */
export function useLocationHref(): string {
  return useSyncExternalStore(subscribe, currentHref);
}

/** Goes to `href` inside the app; `replace` keeps the history entry (for URL bookkeeping). */
export function navigate(href: string, options: { replace?: boolean } = {}): void {
  if (href === currentHref()) return;
  if (options.replace) window.history.replaceState(null, '', href);
  else window.history.pushState(null, '', href);
  window.dispatchEvent(new Event(NAVIGATE_EVENT));
}

const segment = (value: string | undefined) => (value ? decodeURIComponent(value) : undefined);

export function matchRoute(href: string): Route {
  const url = new URL(href, window.location.origin);
  const parts = url.pathname.split('/').filter(Boolean);
  const session = url.searchParams.get('session') ?? undefined;
  const [first, second] = parts;
  if (parts.length === 0) return session ? { page: 'chat', sessionId: session } : { page: 'chat' };
  if (first === 'sessions' && second && parts.length === 2)
    return { page: 'chat', sessionId: segment(second) as string };
  if (first === 'history' && parts.length === 1) return { page: 'history' };
  if (first === 'history' && second && parts.length === 2)
    return { page: 'deployment', deploymentId: segment(second) as string };
  if (first === 'reports' && second && parts.length === 2)
    return { page: 'report', reportId: segment(second) as string };
  if (first === 'credentials' && parts.length === 1) return { page: 'credentials' };
  if (first === 'timeline' && parts.length === 1)
    return session ? { page: 'timeline', sessionId: session } : { page: 'timeline' };
  return { page: 'not-found', path: url.pathname };
}

export const paths = {
  chat: (sessionId?: string) => (sessionId ? `/?session=${encodeURIComponent(sessionId)}` : '/'),
  history: () => '/history',
  deployment: (id: string) => `/history/${encodeURIComponent(id)}`,
  report: (id: string) => `/reports/${encodeURIComponent(id)}`,
  credentials: () => '/credentials',
  timeline: (sessionId?: string) =>
    sessionId ? `/timeline?session=${encodeURIComponent(sessionId)}` : '/timeline',
};
