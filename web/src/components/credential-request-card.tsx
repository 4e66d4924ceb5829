/** A credential-request in the conversation: why credentials are needed, and the way to enter them. */
import type { ChatItem } from '../lib/conversation.js';
import { useCredentialsDialog } from './credentials-dialog-provider.js';

type CredentialsItem = Extract<ChatItem, { kind: 'credentials' }>;

export function CredentialRequestCard({ item }: { item: CredentialsItem }) {
  const { openDialog } = useCredentialsDialog();
  const { request, answered } = item;
  return (
    <section className="card" aria-label="Credentials needed">
      <h3>AWS credentials needed</h3>
      <p>{request.reason}</p>
      {answered ? (
        <p className="answered" role="status">
          Credentials stored
        </p>
      ) : (
        <button
          type="button"
          className="primary"
          onClick={() => openDialog({ formId: request.form_id, reason: request.reason })}
        >
          Enter credentials
        </button>
      )}
    </section>
  );
}
