/**
 * Stored AWS credentials as the server returns them: masked, never in clear. Delete asks once
 * more in the row itself (a browser confirm() would block the page).
 */
import { useState } from 'react';
import { credentialListSchema } from '../../../src/protocol/api.js';
import { useCredentialsDialog } from '../components/credentials-dialog-provider.js';
import { ProblemMessage } from '../components/problem-message.js';
import { apiCall, messageOf } from '../lib/api.js';
import { formatTime } from '../lib/format.js';
import { useApi } from '../lib/use-api.js';

const KIND_TEXT = { 'access-key': 'Access key', 'assume-role': 'Assume role' } as const;

export function CredentialsPage() {
  const { openDialog, saves } = useCredentialsDialog();
  const listing = useApi('/credentials', credentialListSchema, saves);
  const [confirming, setConfirming] = useState<string | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const credentials = listing.data?.credentials ?? [];

  const remove = async (name: string) => {
    setError(undefined);
    try {
      await apiCall('DELETE', `/credentials/${encodeURIComponent(name)}`);
      setConfirming(undefined);
      listing.reload();
    } catch (failure) {
      setError(messageOf(failure));
    }
  };

  return (
    <section className="stack">
      <h1>Credentials</h1>
      <p>
        AWS credentials are encrypted before they are stored; this page shows them masked.{' '}
        <code>default</code> is the one AWS calls use.
      </p>
      <p>
        <button type="button" className="primary" onClick={() => openDialog()}>
          Add or replace credentials
        </button>
      </p>
      {listing.error ? <ProblemMessage message={listing.error} /> : null}
      {error ? <ProblemMessage message={error} /> : null}
      {listing.data && credentials.length === 0 ? <p>No credentials stored.</p> : null}
      {credentials.length > 0 ? (
        <div className="table-scroll stacked-on-narrow">
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Kind</th>
                <th scope="col">Values</th>
                <th scope="col">Updated</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {credentials.map((credential) => (
                <tr key={credential.name}>
                  <td data-label="Name">{credential.name}</td>
                  <td data-label="Kind">{KIND_TEXT[credential.kind]}</td>
                  <td data-label="Values">
                    <dl className="masked">
                      {Object.entries(credential.masked).map(([key, value]) => (
                        <div key={key}>
                          <dt>{key}</dt>
                          <dd>
                            <code>{value}</code>
                          </dd>
                        </div>
                      ))}
                    </dl>
                  </td>
                  <td data-label="Updated">{formatTime(credential.updatedAt)}</td>
                  <td data-label="Actions">
                    {confirming === credential.name ? (
                      <span className="actions">
                        <span>Delete {credential.name}?</span>
                        <button type="button" className="danger" onClick={() => remove(credential.name)}>
                          Confirm delete
                        </button>
                        <button type="button" onClick={() => setConfirming(undefined)}>
                          Cancel
                        </button>
                      </span>
                    ) : (
                      <button type="button" onClick={() => setConfirming(credential.name)}>
                        Delete
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
