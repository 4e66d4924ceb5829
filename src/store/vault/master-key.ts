/**
 * Master keys wrap the per-record data keys of the credential vault: a local AES-256 key (from
 * AWS_COPILOT_MASTER_KEY or a generated 0600 key file) or an AWS KMS key.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { DecryptCommand, EncryptCommand, type KMSClient } from '@aws-sdk/client-kms';
import { CopilotError } from '../../errors/copilot-error.js';

export interface MasterKey {
  /** Stable id of this key, stored with every envelope, so a wrong key is recognised as such. */
  readonly keyId: string;
  wrap(dataKey: Buffer): Promise<string>;
  unwrap(wrapped: string): Promise<Buffer>;
}

/** AES-256-GCM with a fresh IV: base64(iv | tag | ciphertext). */
export function sealWithKey(key: Buffer, plaintext: Buffer, associated: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(associated));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString('base64');
}

/** Opens what sealWithKey produced; throws when the key or the associated data differ. */
export function openWithKey(key: Buffer, sealed: string, associated: string): Buffer {
  const bytes = Buffer.from(sealed, 'base64');
  const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, 12));
  decipher.setAAD(Buffer.from(associated));
  decipher.setAuthTag(bytes.subarray(12, 28));
  return Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]);
}

export class LocalMasterKey implements MasterKey {
  readonly keyId: string;

  constructor(private readonly key: Buffer) {
    if (key.length !== 32)
      throw new CopilotError('config_invalid', 'the master key must be 32 bytes (256 bits)');
    this.keyId = `local:${createHash('sha256').update(key).digest('hex').slice(0, 16)}`;
  }

  async wrap(dataKey: Buffer): Promise<string> {
    return sealWithKey(this.key, dataKey, 'aws-copilot data key');
  }

  async unwrap(wrapped: string): Promise<Buffer> {
    return openWithKey(this.key, wrapped, 'aws-copilot data key');
  }
}

export class KmsMasterKey implements MasterKey {
  readonly keyId: string;

  constructor(
    private readonly client: KMSClient,
    private readonly kmsKeyId: string,
  ) {
    this.keyId = `kms:${kmsKeyId}`;
  }

  async wrap(dataKey: Buffer): Promise<string> {
    const result = await this.client.send(new EncryptCommand({ KeyId: this.kmsKeyId, Plaintext: dataKey }));
    return Buffer.from(result.CiphertextBlob ?? new Uint8Array()).toString('base64');
  }

  async unwrap(wrapped: string): Promise<Buffer> {
    const result = await this.client.send(
      new DecryptCommand({ KeyId: this.kmsKeyId, CiphertextBlob: Buffer.from(wrapped, 'base64') }),
    );
    return Buffer.from(result.Plaintext ?? new Uint8Array());
  }
}

/** Parses a 32-byte key given as base64 or 64 hex digits. */
export function parseMasterKey(text: string, source: string): Buffer {
  const trimmed = text.trim();
  const key = /^[0-9a-f]{64}$/i.test(trimmed) ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64');
  if (key.length !== 32) {
    throw new CopilotError(
      'config_invalid',
      `${source} must hold a 256-bit key as 44 base64 characters or 64 hex digits; generate one with: openssl rand -base64 32`,
    );
  }
  return key;
}

/** The key file, created with 0600 permissions when missing; refused when others can read it. */
export function loadOrCreateKeyFile(path: string): Buffer {
  if (!existsSync(path)) {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    writeFileSync(path, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    chmodSync(path, 0o600);
  }
  const mode = statSync(path).mode & 0o777;
  if ((mode & 0o077) !== 0) {
    throw new CopilotError(
      'vault_locked',
      `the master key file ${path} can be read by other users (mode ${mode.toString(8)}); run: chmod 600 ${path}`,
    );
  }
  return parseMasterKey(readFileSync(path, 'utf8'), `the key file ${path}`);
}
