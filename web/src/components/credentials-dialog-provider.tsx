/**
 * Who may open the credentials dialog: the header button, the credentials page, and a session
 * waiting on a credential-request (it opens once by itself for each request, and saving answers it).
 */
import {
  createContext,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import { useAgentSession } from '../lib/agent-session.js';
import { pendingCredentialRequest } from '../lib/request-answers.js';
import { CredentialsDialog } from './credentials-dialog.js';

interface CredentialsDialogControl {
  /** Opens the dialog; with a request's form_id, saving answers that request. */
  openDialog(request?: { formId: string; reason: string }): void;
  /** Counts saves: the credentials page reloads its list on change. */
  saves: number;
}

const DialogContext = createContext<CredentialsDialogControl | undefined>(undefined);

export function CredentialsDialogProvider({ children }: { children: ReactNode }) {
  const session = useAgentSession();
  const [open, setOpen] = useState(false);
  const [request, setRequest] = useState<{ formId: string; reason: string } | undefined>(undefined);
  const [saves, setSaves] = useState(0);
  const autoOpened = useRef(new Set<string>());

  const openDialog = useCallback((next?: { formId: string; reason: string }) => {
    setRequest(next);
    setOpen(true);
  }, []);

  const pending = pendingCredentialRequest(session.state.events, session.state.answers);
  useEffect(() => {
    if (!pending || autoOpened.current.has(pending.form_id)) return;
    autoOpened.current.add(pending.form_id);
    openDialog({ formId: pending.form_id, reason: pending.reason });
  }, [pending, openDialog]);

  const { answer } = session;
  const onSaved = useCallback(() => {
    setSaves((count) => count + 1);
    setOpen(false);
    if (request) answer(request.formId, { kind: 'credentials', form_id: request.formId, stored: true });
    setRequest(undefined);
  }, [request, answer]);

  const control = useMemo(() => ({ openDialog, saves }), [openDialog, saves]);
  return (
    <DialogContext.Provider value={control}>
      {children}
      <CredentialsDialog
        open={open}
        {...(request ? { reason: request.reason } : {})}
        onClose={() => {
          setOpen(false);
          setRequest(undefined);
        }}
        onSaved={onSaved}
      />
    </DialogContext.Provider>
  );
}

export function useCredentialsDialog(): CredentialsDialogControl {
  const control = useContext(DialogContext);
  if (!control) throw new Error('useCredentialsDialog needs a CredentialsDialogProvider above it');
  return control;
}
