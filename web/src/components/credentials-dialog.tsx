/**
 * The "Configure AWS Credentials" dialog: a modal <dialog> (the browser keeps focus inside it and
 * Escape closes it) that PUTs an access key or a role to the vault. Secrets live in this
 * component's state only until the server accepted them or the dialog closed.
 */
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { z } from 'zod';
import { type CredentialInput, maskedCredentialSchema } from '../../../src/protocol/credentials.js';
import { ApiFailure, apiSend, messageOf } from '../lib/api.js';
import { TextField } from './text-field.js';

const savedSchema = z.object({ credential: maskedCredentialSchema });
type Kind = CredentialInput['kind'];

/** The server names body fields as in credentialInputSchema, the path's one as `name`. */
type FieldErrors = Partial<Record<'name' | keyof CredentialFields, string>> & { form?: string };

interface CredentialFields {
  access_key_id: string;
  secret_access_key: string;
  session_token: string;
  role_arn: string;
  external_id: string;
}

const EMPTY: CredentialFields = {
  access_key_id: '',
  secret_access_key: '',
  session_token: '',
  role_arn: '',
  external_id: '',
};

function bodyOf(kind: Kind, fields: CredentialFields): CredentialInput {
  if (kind === 'assume-role')
    return {
      kind,
      role_arn: fields.role_arn.trim(),
      ...(fields.external_id ? { external_id: fields.external_id } : {}),
    };
  return {
    kind,
    access_key_id: fields.access_key_id.trim(),
    secret_access_key: fields.secret_access_key,
    ...(fields.session_token ? { session_token: fields.session_token } : {}),
  };
}

function errorsOf(error: unknown): FieldErrors {
  if (error instanceof ApiFailure && error.field) {
    const field = error.field.split('.')[0] as keyof FieldErrors;
    if (field === 'name' || field in EMPTY) return { [field]: error.message };
  }
  return { form: messageOf(error) };
}

export function CredentialsDialog(props: {
  open: boolean;
  reason?: string;
  onClose(): void;
  onSaved(name: string): void;
}) {
  const { open, reason, onClose, onSaved } = props;
  const dialogRef = useRef<HTMLDialogElement>(null);
  const [kind, setKind] = useState<Kind>('access-key');
  const [name, setName] = useState('default');
  const [fields, setFields] = useState<CredentialFields>(EMPTY);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    const dialog = dialogRef.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);

  const forgetSecrets = () => {
    setFields(EMPTY);
    setErrors({});
  };

  const set = (field: keyof CredentialFields) => (value: string) =>
    setFields((current) => ({ ...current, [field]: value }));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSaving(true);
    setErrors({});
    try {
      await apiSend(
        'PUT',
        `/credentials/${encodeURIComponent(name.trim())}`,
        bodyOf(kind, fields),
        savedSchema,
      );
      forgetSecrets();
      onSaved(name.trim());
    } catch (error) {
      setErrors(errorsOf(error));
    } finally {
      setSaving(false);
    }
  };

  return (
    <dialog
      ref={dialogRef}
      className="dialog"
      aria-label="Configure AWS Credentials"
      onClose={() => {
        forgetSecrets();
        onClose();
      }}
    >
      <form onSubmit={submit} className="stack" autoComplete="off">
        <h2>Configure AWS Credentials</h2>
        {reason ? <p className="hint">{reason}</p> : null}
        <p className="hint">Encrypted before they are stored; they are never shown again.</p>
        <fieldset className="choice">
          <legend>Credential type</legend>
          <label>
            <input
              type="radio"
              name="kind"
              checked={kind === 'access-key'}
              onChange={() => setKind('access-key')}
            />
            Access key
          </label>
          <label>
            <input
              type="radio"
              name="kind"
              checked={kind === 'assume-role'}
              onChange={() => setKind('assume-role')}
            />
            Assume role
          </label>
        </fieldset>
        <TextField
          label="Credential name"
          value={name}
          onValue={setName}
          error={errors.name}
          hint="default is the one AWS calls use"
          required
        />
        {kind === 'access-key' ? (
          <>
            <TextField
              label="Access key ID"
              value={fields.access_key_id}
              onValue={set('access_key_id')}
              error={errors.access_key_id}
              spellCheck={false}
              required
            />
            <TextField
              label="Secret access key"
              type="password"
              autoComplete="off"
              value={fields.secret_access_key}
              onValue={set('secret_access_key')}
              error={errors.secret_access_key}
              required
            />
            <TextField
              label="Session token (optional)"
              type="password"
              autoComplete="off"
              value={fields.session_token}
              onValue={set('session_token')}
              error={errors.session_token}
            />
          </>
        ) : (
          <>
            <TextField
              label="Role ARN"
              value={fields.role_arn}
              onValue={set('role_arn')}
              error={errors.role_arn}
              spellCheck={false}
              required
            />
            <TextField
              label="External ID (optional)"
              value={fields.external_id}
              onValue={set('external_id')}
              error={errors.external_id}
            />
          </>
        )}
        {errors.form ? (
          <p className="field-error" role="alert">
            {errors.form}
          </p>
        ) : null}
        <div className="actions">
          <button type="submit" className="primary" disabled={saving}>
            Save credentials
          </button>
          <button type="button" onClick={() => dialogRef.current?.close()}>
            Cancel
          </button>
        </div>
      </form>
    </dialog>
  );
}
