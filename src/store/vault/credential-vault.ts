/**
 * The credential vault: AWS credentials are sealed with a fresh AES-256-GCM data key per record,
 * the data key wrapped by the master key (envelope encryption). Write-only from the outside: reads
 * return masks; only `resolve` decrypts, just in time for an AWS call, and never caches. Secrets
 * typed into forms are sealed the same way (`seal`/`unseal`, see guardrails/sealed-values.ts).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { CopilotError } from '../../errors/copilot-error.js';
import { redactor } from '../../guardrails/redaction.js';
import type { SealedValue, SecretSealer } from '../../guardrails/sealed-values.js';
import {
  type CredentialInput,
  credentialInputSchema,
  credentialNameSchema,
  type maskedCredentialSchema,
} from '../../protocol/credentials.js';
import type { CredentialRepository, StoredCredential } from '../ports.js';
import { type MasterKey, openWithKey, sealWithKey } from './master-key.js';

export type MaskedCredential = z.infer<typeof maskedCredentialSchema>;

interface Envelope {
  v: 1;
  wrappedKey: string;
  sealed: string;
}

/** `AKIA…WXYZ`: enough to recognise a key, never enough to use it. */
export function maskSecret(value: string): string {
  return value.length <= 8 ? '…' : `${value.slice(0, 4)}…${value.slice(-4)}`;
}

function masksOf(input: CredentialInput): Record<string, string> {
  if (input.kind === 'access-key') {
    return {
      access_key_id: maskSecret(input.access_key_id),
      secret_access_key: '…',
      ...(input.session_token ? { session_token: '…' } : {}),
    };
  }
  return { role_arn: input.role_arn, ...(input.source ? { source: input.source } : {}) };
}

function secretsOf(input: CredentialInput): string[] {
  return input.kind === 'access-key'
    ? [input.access_key_id, input.secret_access_key, ...(input.session_token ? [input.session_token] : [])]
    : input.external_id
      ? [input.external_id]
      : [];
}

/** Sealed form values are named so no credential name (lowercase letters, digits, hyphens) can collide. */
const SEALED_PREFIX = 'sealed:';

export class CredentialVault implements SecretSealer {
  constructor(
    private readonly repository: CredentialRepository,
    private masterKey: MasterKey,
  ) {}

  /** Validates, seals and stores; returns only the masked view. */
  async put(userId: string, name: string, input: unknown): Promise<MaskedCredential> {
    if (!credentialNameSchema.safeParse(name).success) {
      throw new CopilotError(
        'invalid_input',
        'name: use 1-64 lowercase letters, digits and hyphens, e.g. default or prod',
      );
    }
    const parsed = credentialInputSchema.safeParse(input);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      // The message names the field, never echoes the value.
      throw Object.assign(
        new CopilotError(
          'invalid_input',
          `${issue?.path.join('.') || 'credential'}: ${issue?.message ?? 'invalid'}`,
        ),
        { field: issue?.path.join('.') },
      );
    }
    redactor.addSecrets(secretsOf(parsed.data));
    const masked = masksOf(parsed.data);
    await this.repository.put({
      userId,
      name,
      kind: parsed.data.kind,
      envelope: await this.envelopeFor(Buffer.from(JSON.stringify(parsed.data)), `${userId}/${name}`),
      keyId: this.masterKey.keyId,
      masked,
    });
    return { name, kind: parsed.data.kind, masked, updatedAt: new Date().toISOString() };
  }

  /** Seals one secret a person typed; the returned reference is all the caller keeps. */
  async seal(userId: string, clear: string): Promise<SealedValue> {
    redactor.addSecrets([clear]);
    const name = `${SEALED_PREFIX}${randomUUID()}`;
    await this.repository.put({
      userId,
      name,
      kind: 'sealed-value',
      // The owner and the record's name are the associated data: an envelope copied into another
      // record, or another person's reference, fails to authenticate instead of opening.
      envelope: await this.envelopeFor(Buffer.from(clear, 'utf8'), `${userId}/${name}`),
      keyId: this.masterKey.keyId,
      masked: {},
    });
    return { $sealed: name };
  }

  /** Deletes a sealed value of this person (a credential name is never touched). */
  async discard(userId: string, sealed: SealedValue): Promise<void> {
    if (sealed.$sealed.startsWith(SEALED_PREFIX)) await this.repository.remove(userId, sealed.$sealed);
  }

  /** Opens a sealed value for the call about to run; the value is registered with the redactor. */
  async unseal(userId: string, sealed: SealedValue): Promise<string> {
    const record = sealed.$sealed.startsWith(SEALED_PREFIX)
      ? await this.repository.get(userId, sealed.$sealed)
      : undefined;
    if (record?.kind !== 'sealed-value') {
      throw new CopilotError(
        'not_found',
        `the sealed value ${sealed.$sealed} does not exist for ${userId} (it expired with the retention period, was purged, or belongs to someone else): give the value again`,
      );
    }
    const dataKey = await this.unwrapDataKey(record, this.masterKey);
    try {
      const { sealed: ciphertext } = JSON.parse(record.envelope) as Envelope;
      const clear = openWithKey(dataKey, ciphertext, `${userId}/${record.name}`).toString('utf8');
      redactor.addSecrets([clear]);
      return clear;
    } catch (error) {
      throw new CopilotError(
        'vault_locked',
        `the sealed value ${sealed.$sealed} failed authentication: its record was altered, so it is not used; give the value again`,
        { cause: error },
      );
    } finally {
      dataKey.fill(0);
    }
  }

  /** The person's AWS credentials, masked (sealed form values are not credentials and are not listed). */
  async list(userId: string): Promise<MaskedCredential[]> {
    const records = (await this.repository.list(userId)).filter(
      (record): record is StoredCredential & { kind: MaskedCredential['kind'] } =>
        record.kind !== 'sealed-value',
    );
    return records.map((record) => ({
      name: record.name,
      kind: record.kind,
      masked: record.masked,
      updatedAt: record.updatedAt,
    }));
  }

  async has(userId: string, name = 'default'): Promise<boolean> {
    const record = await this.repository.get(userId, name);
    return record !== undefined && record.kind !== 'sealed-value';
  }

  remove(userId: string, name: string): Promise<boolean> {
    return this.repository.remove(userId, name);
  }

  /** Decrypts one credential for immediate use; its values are registered with the redactor. */
  async resolve(userId: string, name = 'default'): Promise<CredentialInput | undefined> {
    const record = await this.repository.get(userId, name);
    if (!record || record.kind === 'sealed-value') return undefined;
    const input = await this.open(record, this.masterKey);
    redactor.addSecrets(secretsOf(input));
    return input;
  }

  /** Re-wraps every record's data key (credentials and sealed form values) with `next`; the sealed secrets themselves do not change. */
  async rotate(next: MasterKey): Promise<number> {
    const records = await this.repository.all();
    // Unwrap everything first: a wrong current key fails before a single record is rewritten.
    const dataKeys = await Promise.all(records.map((record) => this.unwrapDataKey(record, this.masterKey)));
    for (const [index, record] of records.entries()) {
      const envelope = JSON.parse(record.envelope) as Envelope;
      const dataKey = dataKeys[index] as Buffer;
      const rewrapped: Envelope = { ...envelope, wrappedKey: await next.wrap(dataKey) };
      dataKey.fill(0);
      await this.repository.put({ ...record, envelope: JSON.stringify(rewrapped), keyId: next.keyId });
    }
    this.masterKey = next;
    return records.length;
  }

  /** A fresh data key seals the plaintext; the master key wraps the data key. */
  private async envelopeFor(plaintext: Buffer, associated: string): Promise<string> {
    const dataKey = randomBytes(32);
    try {
      const envelope: Envelope = {
        v: 1,
        wrappedKey: await this.masterKey.wrap(dataKey),
        sealed: sealWithKey(dataKey, plaintext, associated),
      };
      return JSON.stringify(envelope);
    } finally {
      dataKey.fill(0);
    }
  }

  private async unwrapDataKey(record: StoredCredential, key: MasterKey): Promise<Buffer> {
    const envelope = JSON.parse(record.envelope) as Envelope;
    try {
      return await key.unwrap(envelope.wrappedKey);
    } catch (error) {
      throw new CopilotError(
        'vault_locked',
        `the credential '${record.name}' was sealed with master key ${record.keyId}, but the configured key is ${key.keyId}: set AWS_COPILOT_MASTER_KEY (or the key file) back to the key used before; nothing was changed`,
        { cause: error },
      );
    }
  }

  private async open(record: StoredCredential, key: MasterKey): Promise<CredentialInput> {
    const dataKey = await this.unwrapDataKey(record, key);
    const envelope = JSON.parse(record.envelope) as Envelope;
    try {
      const clear = openWithKey(dataKey, envelope.sealed, `${record.userId}/${record.name}`);
      return credentialInputSchema.parse(JSON.parse(clear.toString('utf8')));
    } finally {
      dataKey.fill(0);
    }
  }
}
