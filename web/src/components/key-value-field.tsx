/** A form field of name/value rows (environment variables): add and remove rows, each input labelled. */
import type { FormField } from '../../../src/protocol/events.js';

export interface KeyValueRow {
  id: number;
  name: string;
  value: string;
}

let rowCounter = 0;

export function newRow(name = '', value = ''): KeyValueRow {
  rowCounter += 1;
  return { id: rowCounter, name, value };
}

/** A field's given value (an object of strings) as rows; one empty row to start with. */
export function rowsOf(value: unknown): KeyValueRow[] {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const rows = Object.entries(value).map(([name, text]) => newRow(name, String(text ?? '')));
    if (rows.length > 0) return rows;
  }
  return [newRow()];
}

/** Rows without a name are left out. */
export function objectOf(rows: KeyValueRow[]): Record<string, string> {
  return Object.fromEntries(rows.filter((row) => row.name.trim()).map((row) => [row.name.trim(), row.value]));
}

export function KeyValueField(props: {
  field: FormField;
  rows: KeyValueRow[];
  onRows(rows: KeyValueRow[]): void;
}) {
  const { field, rows, onRows } = props;
  const update = (id: number, change: Partial<KeyValueRow>) =>
    onRows(rows.map((row) => (row.id === id ? { ...row, ...change } : row)));
  return (
    <fieldset className="key-value">
      <legend>{field.label}</legend>
      {field.description ? <p className="hint">{field.description}</p> : null}
      {rows.map((row, index) => (
        <div className="key-value-row" key={row.id}>
          <input
            aria-label={`${field.label} ${index + 1} name`}
            placeholder="NAME"
            value={row.name}
            spellCheck={false}
            onChange={(event) => update(row.id, { name: event.target.value })}
          />
          <input
            aria-label={`${field.label} ${index + 1} value`}
            placeholder="value"
            type="password"
            autoComplete="off"
            value={row.value}
            onChange={(event) => update(row.id, { value: event.target.value })}
          />
          <button
            type="button"
            aria-label={`Remove ${field.label} ${index + 1}`}
            onClick={() => onRows(rows.length > 1 ? rows.filter((other) => other.id !== row.id) : [newRow()])}
          >
            Remove
          </button>
        </div>
      ))}
      <button type="button" onClick={() => onRows([...rows, newRow()])}>
        Add variable
      </button>
    </fieldset>
  );
}
