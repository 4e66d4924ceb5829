import { describe, expect, it } from 'vitest';
import type { SealedValue } from '../guardrails/sealed-values.js';
import { type FormWait, sealFormSecrets, secretFieldsOf } from './form-secrets.js';

/** A sealer that records what it was given and hands out numbered references. */
function recordingSealer() {
  const given: string[] = [];
  const seal = async (clear: string): Promise<SealedValue> => {
    given.push(clear);
    return { $sealed: `sealed:${given.length}` };
  };
  return { given, seal };
}

const wait: FormWait = {
  type: 'form',
  fields: ['db_password', 'environment', 'region'],
  secret_fields: { db_password: 'secret', environment: 'key-value' },
};

describe('sealing a form’s secrets before the workflow resumes', () => {
  it('names the secret fields of a form by their kind', () => {
    expect(
      secretFieldsOf([
        { name: 'region', label: 'region', description: '', kind: 'text', required: true },
        { name: 'environment.KEY', label: 'KEY', description: '', kind: 'secret', required: true },
        { name: 'environment', label: 'environment', description: '', kind: 'key-value', required: true },
      ]),
    ).toEqual({ 'environment.KEY': 'secret', environment: 'key-value' });
  });

  it('seals secret fields and environment values, and leaves the rest untouched', async () => {
    const { given, seal } = recordingSealer();
    const values = await sealFormSecrets(
      { db_password: 'hunter2-long', region: 'us-east-1', 'environment.API_KEY': 'sk_live_x1', empty: '' },
      wait,
      seal,
    );
    expect(values).toEqual({
      db_password: { $sealed: 'sealed:1' },
      region: 'us-east-1',
      'environment.API_KEY': { $sealed: 'sealed:2' },
      empty: '',
    });
    expect(given).toEqual(['hunter2-long', 'sk_live_x1']);
  });

  it('seals every value of a key-value field, given as an object, JSON text or NAME=value lines', async () => {
    for (const environment of [{ A: 'one', B: 'two' }, '{"A":"one","B":"two"}', 'A=one\nB=two']) {
      const { given, seal } = recordingSealer();
      const values = await sealFormSecrets({ environment }, wait, seal);
      expect(values.environment).toEqual({ A: { $sealed: 'sealed:1' }, B: { $sealed: 'sealed:2' } });
      expect(given).toEqual(['one', 'two']);
    }
  });

  it('refuses a secret that is not text, naming the field, and seals nothing it cannot read', async () => {
    const { given, seal } = recordingSealer();
    await expect(sealFormSecrets({ db_password: 42 }, wait, seal)).rejects.toThrow(
      /db_password: a secret field takes text/,
    );
    await expect(sealFormSecrets({ environment: ['x'] }, wait, seal)).rejects.toThrow(
      /environment: give NAME=value lines/,
    );
    expect(given).toEqual([]);
  });

  it('treats environment.NAME fields as secret even when the workflow named none', async () => {
    const { seal } = recordingSealer();
    const values = await sealFormSecrets({ 'environment.TOKEN': 'abcdef' }, { type: 'approval' }, seal);
    expect(values).toEqual({ 'environment.TOKEN': { $sealed: 'sealed:1' } });
  });

  it('seals an environment map even when the workflow named none', async () => {
    const { given, seal } = recordingSealer();
    const values = await sealFormSecrets(
      { environment: { API_KEY: 'k-123456' }, region: 'eu-west-1' },
      undefined,
      seal,
    );
    expect(values).toEqual({ environment: { API_KEY: { $sealed: 'sealed:1' } }, region: 'eu-west-1' });
    expect(given).toEqual(['k-123456']);
  });
});
