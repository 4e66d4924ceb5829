/** The header on every page: the SANDBOX banner, the main navigation, the credentials button and who is signed in. */
import type { Health, Me } from '../../../src/protocol/api.js';
import type { Route } from '../lib/router.js';
import { paths } from '../lib/router.js';
import { useCredentialsDialog } from './credentials-dialog-provider.js';
import { Link } from './link.js';

const SECTIONS = [
  { label: 'Chat', to: paths.chat(), pages: ['chat'] },
  { label: 'History', to: paths.history(), pages: ['history', 'deployment', 'report'] },
  { label: 'Credentials', to: paths.credentials(), pages: ['credentials'] },
  { label: 'Timeline', to: paths.timeline(), pages: ['timeline'] },
] as const;

export function SandboxBanner({ health }: { health: Health | undefined }) {
  if (!health?.sandbox) return null;
  return (
    <div className="sandbox-banner" role="status" aria-label="Sandbox mode">
      {health.banner ?? 'SANDBOX: AWS calls go to the local emulator; nothing here touches real AWS'}
    </div>
  );
}

export function AppHeader(props: { me: Me; route: Route; onSignOut(): void }) {
  const { me, route, onSignOut } = props;
  const { openDialog } = useCredentialsDialog();
  return (
    <header className="app-header">
      <div className="bar">
        <Link to={paths.chat()} className="brand">
          aws-copilot
        </Link>
        <nav aria-label="Main">
          <ul>
            {SECTIONS.map((section) => (
              <li key={section.label}>
                <Link
                  to={section.to}
                  aria-current={
                    (section.pages as readonly string[]).includes(route.page) ? 'page' : undefined
                  }
                >
                  {section.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div className="header-actions">
          <button type="button" onClick={() => openDialog()}>
            Configure AWS Credentials
          </button>
          <span className="user" title="Signed in">
            {me.user.name}
          </span>
          {me.mode === 'multi-user' ? (
            <button type="button" onClick={onSignOut}>
              Sign out
            </button>
          ) : null}
        </div>
      </div>
    </header>
  );
}
