import { randomBytes } from 'node:crypto';
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redactor } from '../../src/guardrails/redaction.js';
import { openPGliteStore } from '../../src/store/pglite/open-pglite-store.js';
import type { Store } from '../../src/store/ports.js';
import { CredentialVault } from '../../src/store/vault/credential-vault.js';
import { KmsMasterKey, LocalMasterKey, loadOrCreateKeyFile } from '../../src/store/vault/master-key.js';
import { sandboxEndpoint } from '../helpers/tool-harness.js';

const SECRET = {
  kind: 'access-key',
  access_key_id: 'AKIAVAULTTESTKEY0001',
  secret_access_key: 'Vq8xN2mK5pR7tW9yZ1bD3fH6jL8nQ0sU2vX4zA6c',
  session_token: 'FwoGZXIvYXdzEVaultTestSessionToken0123456789',
};

describe('credential vault', () => {
  let store: Store;
  beforeAll(async () => {
    store = await openPGliteStore({ directory: mkdtempSync(join(tmpdir(), 'vault-')), vectorDimensions: 4 });
  });
  afterAll(() => store.close());

  it('stores only a sealed envelope and shows masks; resolve returns the secret just in time', async () => {
    const vault = new CredentialVault(store.credentials, new LocalMasterKey(randomBytes(32)));
    const masked = await vault.put('ann', 'default', SECRET);
    expect(masked.masked).toEqual({ access_key_id: 'AKIA…0001', secret_access_key: '…', session_token: '…' });
    const raw = JSON.stringify(await store.credentials.all());
    for (const value of [SECRET.access_key_id, SECRET.secret_access_key, SECRET.session_token])
      expect(raw).not.toContain(value);
    expect(JSON.stringify(await vault.list('ann'))).not.toContain(SECRET.secret_access_key);
    expect(await vault.resolve('ann')).toEqual(SECRET);
    expect(await vault.resolve('bob')).toBeUndefined();
    expect(redactor.text(`key ${SECRET.secret_access_key}`)).toBe('key ***');
  });

  it('rejects bad input naming the field without echoing the value', async () => {
    const vault = new CredentialVault(store.credentials, new LocalMasterKey(randomBytes(32)));
    const attempt = vault.put('ann', 'bad', { ...SECRET, access_key_id: 'not-a-key-secretish' });
    await expect(attempt).rejects.toThrow(/access_key_id: an access key id is AKIA/);
    await expect(attempt).rejects.not.toThrow(/not-a-key-secretish/);
  });

  it('refuses a wrong master key with a clear message and destroys nothing', async () => {
    const right = new LocalMasterKey(randomBytes(32));
    await new CredentialVault(store.credentials, right).put('carol', 'default', SECRET);
    const before = await store.credentials.get('carol', 'default');
    const wrong = new CredentialVault(store.credentials, new LocalMasterKey(randomBytes(32)));
    await expect(wrong.resolve('carol')).rejects.toThrow(
      /sealed with master key local:.*set AWS_COPILOT_MASTER_KEY .* nothing was changed/,
    );
    await expect(wrong.rotate(new LocalMasterKey(randomBytes(32)))).rejects.toThrow(/nothing was changed/);
    expect(await store.credentials.get('carol', 'default')).toEqual(before);
    expect(await new CredentialVault(store.credentials, right).resolve('carol')).toEqual(SECRET);
  });

  it('rotates the master key, re-encrypting every record, sealed form values included', async () => {
    const isolated = await openPGliteStore({
      directory: mkdtempSync(join(tmpdir(), 'vault-rotate-')),
      vectorDimensions: 4,
    });
    try {
      const oldKey = new LocalMasterKey(randomBytes(32));
      const newKey = new LocalMasterKey(randomBytes(32));
      const vault = new CredentialVault(isolated.credentials, oldKey);
      await vault.put('ann', 'default', SECRET);
      await vault.put('bob', 'prod', {
        kind: 'assume-role',
        role_arn: 'arn:aws:iam::123456789012:role/Deploy',
      });
      const sealed = await vault.seal('ann', 'form-value-to-rotate');
      expect(await vault.rotate(newKey)).toBe(3);
      expect((await isolated.credentials.all()).map((record) => record.keyId)).toEqual([
        newKey.keyId,
        newKey.keyId,
        newKey.keyId,
      ]);
      expect(await new CredentialVault(isolated.credentials, newKey).resolve('ann')).toEqual(SECRET);
      // Sealed form values are records of the vault too: rotation covers them.
      expect(await new CredentialVault(isolated.credentials, newKey).unseal('ann', sealed)).toBe(
        'form-value-to-rotate',
      );
      await expect(new CredentialVault(isolated.credentials, oldKey).unseal('ann', sealed)).rejects.toThrow(
        /master key/,
      );
      await expect(new CredentialVault(isolated.credentials, oldKey).resolve('ann')).rejects.toThrow(
        /master key/,
      );
    } finally {
      await isolated.close();
    }
  });

  it('seals a form value as a record of its own, opened only for its owner and never listed', async () => {
    const key = new LocalMasterKey(randomBytes(32));
    const vault = new CredentialVault(store.credentials, key);
    const clear = `pepper-${randomBytes(6).toString('hex')}`;
    const sealed = await vault.seal('erin', clear);
    expect(sealed).toEqual({ $sealed: expect.stringMatching(/^sealed:[0-9a-f-]{36}$/) });
    expect(JSON.stringify(await store.credentials.all())).not.toContain(clear);
    expect(await new CredentialVault(store.credentials, key).unseal('erin', sealed)).toBe(clear);
    await expect(vault.unseal('frank', sealed)).rejects.toThrow(/does not exist for frank/);
    // A sealed value is no AWS credential: not listed, not resolved, not counted as one.
    expect(await vault.list('erin')).toEqual([]);
    expect(await vault.has('erin', sealed.$sealed)).toBe(false);
    expect(await vault.resolve('erin', sealed.$sealed)).toBeUndefined();
    // Discarded when its workflow ends: gone for its owner, and only a sealed value can be discarded.
    await vault.discard('frank', sealed);
    expect(await vault.unseal('erin', sealed)).toBe(clear);
    await vault.put('erin', 'default', {
      kind: 'access-key',
      access_key_id: 'AKIAIOSFODNN7EXAMPLE',
      secret_access_key: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    });
    await vault.discard('erin', { $sealed: 'default' });
    await vault.discard('erin', sealed);
    await expect(vault.unseal('erin', sealed)).rejects.toThrow(/does not exist for erin/);
    expect(await vault.has('erin', 'default')).toBe(true);
  });

  it('refuses a sealed value whose envelope was swapped for another one', async () => {
    const vault = new CredentialVault(store.credentials, new LocalMasterKey(randomBytes(32)));
    const first = await vault.seal('gina', 'first-value-1');
    const second = await vault.seal('gina', 'second-value-2');
    const other = await store.credentials.get('gina', second.$sealed);
    const record = await store.credentials.get('gina', first.$sealed);
    if (!record || !other) throw new Error('sealed records missing');
    await store.credentials.put({ ...record, envelope: other.envelope });
    await expect(vault.unseal('gina', first)).rejects.toThrow(
      /failed authentication: its record was altered/,
    );
    expect(await vault.unseal('gina', second)).toBe('second-value-2');
  });

  it('creates the key file with 0600 permissions and refuses one others can read', () => {
    const folder = mkdtempSync(join(tmpdir(), 'vault-keyfile-'));
    const path = join(folder, 'master.key');
    const key = loadOrCreateKeyFile(path);
    expect(key).toHaveLength(32);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(loadOrCreateKeyFile(path).equals(key)).toBe(true);
    const loose = join(folder, 'loose.key');
    writeFileSync(loose, randomBytes(32).toString('base64'), { mode: 0o644 });
    expect(() => loadOrCreateKeyFile(loose)).toThrow(/chmod 600/);
  });

  it('wraps data keys with AWS KMS when configured', async () => {
    const kms = new KMSClient({
      region: 'us-east-1',
      endpoint: sandboxEndpoint(),
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    });
    const created = await kms.send(new CreateKeyCommand({ Description: 'aws-copilot vault test' }));
    const master = new KmsMasterKey(kms, created.KeyMetadata?.KeyId as string);
    const vault = new CredentialVault(store.credentials, master);
    await vault.put('dave', 'default', SECRET);
    expect((await store.credentials.get('dave', 'default'))?.keyId).toBe(master.keyId);
    expect(await vault.resolve('dave')).toEqual(SECRET);
    kms.destroy();
  });
});
