/**
 * A form the agents asked for (form-request): one labelled input per field, answered with an
 * interrupt-answer keyed exactly by each field's name (names may hold dots: `environment.API_KEY`).
 * Secret values are sent once and dropped; only the others are echoed under the form.
 */
import { type FormEvent, useId, useState } from 'react';
import type { FormField } from '../../../src/protocol/events.js';
import { useAgentSession } from '../lib/agent-session.js';
import type { ChatItem } from '../lib/conversation.js';
import { KeyValueField, type KeyValueRow, objectOf, rowsOf } from './key-value-field.js';

type FormItem = Extract<ChatItem, { kind: 'form' }>;
type Value = string | KeyValueRow[];

function initialValue(field: FormField): Value {
  if (field.kind === 'key-value') return rowsOf(field.value);
  return typeof field.value === 'string' ? field.value : '';
}

function FieldInput(props: { field: FormField; value: Value; onValue(value: Value): void }) {
  const { field, value, onValue } = props;
  const id = useId();
  if (field.kind === 'key-value')
    return <KeyValueField field={field} rows={value as KeyValueRow[]} onRows={onValue} />;
  const common = {
    id,
    required: field.required,
    'aria-describedby': field.description ? `${id}-hint` : undefined,
  };
  return (
    <div className="field">
      <label htmlFor={id}>{field.label}</label>
      {field.kind === 'select' ? (
        <select {...common} value={value as string} onChange={(event) => onValue(event.target.value)}>
          <option value="">Choose…</option>
          {(field.options ?? []).map((option) => (
            <option key={option} value={option}>
              {option}
            </option>
          ))}
        </select>
      ) : (
        <input
          {...common}
          type={field.kind === 'secret' ? 'password' : 'text'}
          autoComplete="off"
          spellCheck={false}
          value={value as string}
          onChange={(event) => onValue(event.target.value)}
        />
      )}
      {field.description ? (
        <p className="hint" id={`${id}-hint`}>
          {field.description}
        </p>
      ) : null}
    </div>
  );
}

export function FormRequestCard({ item }: { item: FormItem }) {
  const { request, answered, answer: sent } = item;
  const { state, answer } = useAgentSession();
  const [values, setValues] = useState<Record<string, Value>>(() =>
    Object.fromEntries(request.fields.map((field) => [field.name, initialValue(field)])),
  );
  const disabled = answered || state.busy;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const answerValues: Record<string, unknown> = {};
    const shown: Record<string, string> = {};
    for (const field of request.fields) {
      const value = values[field.name] ?? '';
      answerValues[field.name] = typeof value === 'string' ? value : objectOf(value);
      if (field.kind === 'text' || field.kind === 'select') shown[field.label] = value as string;
    }
    if (!answer(request.form_id, { kind: 'form', form_id: request.form_id, values: answerValues }, { shown }))
      return;
    // Sent: secrets are not kept in the page any longer than that.
    setValues((current) =>
      Object.fromEntries(
        request.fields.map((field) => [
          field.name,
          field.kind === 'secret' || field.kind === 'key-value'
            ? initialValue({ ...field, value: undefined })
            : (current[field.name] ?? ''),
        ]),
      ),
    );
  };

  return (
    <form className="card form-card stack" aria-label={request.title} onSubmit={submit}>
      <h3>{request.title}</h3>
      {answered ? null : (
        <fieldset className="plain">
          {request.fields.map((field) => (
            <FieldInput
              key={field.name}
              field={field}
              value={values[field.name] ?? ''}
              onValue={(value) => setValues((current) => ({ ...current, [field.name]: value }))}
            />
          ))}
        </fieldset>
      )}
      {answered ? (
        <p className="answered" role="status">
          Submitted
          {sent?.shown && Object.keys(sent.shown).length > 0
            ? `: ${Object.entries(sent.shown)
                .map(([label, value]) => `${label} = ${value}`)
                .join(', ')}`
            : ''}
        </p>
      ) : (
        <div className="actions">
          <button type="submit" className="primary" disabled={disabled}>
            Submit
          </button>
        </div>
      )}
    </form>
  );
}
