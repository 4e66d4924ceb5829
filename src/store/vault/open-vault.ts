/** The vault with the configured master key: AWS KMS, AWS_COPILOT_MASTER_KEY, or the local key file. */
import { join } from 'node:path';
import type { Settings } from '../../config/settings.js';
import type { AwsClientFactory } from '../../tools/aws/clients.js';
import type { CredentialRepository } from '../ports.js';
import { CredentialVault } from './credential-vault.js';
import {
  KmsMasterKey,
  LocalMasterKey,
  loadOrCreateKeyFile,
  type MasterKey,
  parseMasterKey,
} from './master-key.js';

export function masterKeyPath(settings: Pick<Settings, 'dataDir'>): string {
  return join(settings.dataDir, 'master.key');
}

export function resolveMasterKey(
  settings: Pick<Settings, 'dataDir' | 'kmsKeyId'>,
  aws: Pick<AwsClientFactory, 'kms'> | undefined,
  env: NodeJS.ProcessEnv = process.env,
): MasterKey {
  if (settings.kmsKeyId) {
    if (!aws) throw new Error('AWS_COPILOT_KMS_KEY_ID is set but no AWS client is available');
    return new KmsMasterKey(aws.kms(), settings.kmsKeyId);
  }
  if (env.AWS_COPILOT_MASTER_KEY)
    return new LocalMasterKey(parseMasterKey(env.AWS_COPILOT_MASTER_KEY, 'AWS_COPILOT_MASTER_KEY'));
  return new LocalMasterKey(loadOrCreateKeyFile(masterKeyPath(settings)));
}

export function openVault(
  credentials: CredentialRepository,
  settings: Pick<Settings, 'dataDir' | 'kmsKeyId'>,
  aws?: Pick<AwsClientFactory, 'kms'>,
): CredentialVault {
  return new CredentialVault(credentials, resolveMasterKey(settings, aws));
}
