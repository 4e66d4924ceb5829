import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineTool, readOnlyPreview } from '../../tools/define-tool.js';
import { missingArgumentFields } from './tool-call.js';

const tool = defineTool({
  name: 'connect_database',
  description: 'reads from a database',
  input: z.strictObject({
    host: z.string().min(1),
    db_password: z.string().min(1),
    environment: z.record(z.string(), z.string()),
  }),
  risk: 'read',
  iam: [],
  preview: async () => readOnlyPreview('connect'),
  run: async () => 'ok',
});

describe('asking for the arguments a call lacks', () => {
  it('asks for secret-named arguments as secrets and environment maps as key-value fields', () => {
    const fields = missingArgumentFields(tool, {});
    expect(fields.map((field) => [field.name, field.kind])).toEqual([
      ['host', 'text'],
      ['db_password', 'secret'],
      ['environment', 'key-value'],
    ]);
  });

  it('never shows back what was given for a secret field', () => {
    const fields = missingArgumentFields(tool, { host: '', db_password: 12345678, environment: 'x' });
    expect(fields.find((field) => field.name === 'host')).toMatchObject({ value: '' });
    expect(fields.find((field) => field.name === 'db_password')).not.toHaveProperty('value');
    expect(fields.find((field) => field.name === 'environment')).not.toHaveProperty('value');
  });

  it('counts a sealed value as given', () => {
    const args = {
      host: 'db.internal',
      db_password: { $sealed: 'sealed:1' },
      environment: { API_KEY: { $sealed: 'sealed:2' } },
    };
    expect(missingArgumentFields(tool, args)).toEqual([]);
  });
});
