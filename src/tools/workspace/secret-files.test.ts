import { describe, expect, it } from 'vitest';
import { isSecretFile } from './secret-files.js';

describe('isSecretFile', () => {
  it('flags env files, keys and registry or cloud credentials, whatever the folder', () => {
    for (const name of [
      '.env',
      '.env.local',
      '.ENV.production',
      'server.pem',
      'certs/tls.key',
      'cert.p12',
      'cert.pfx',
      'id_rsa',
      'id_ecdsa',
      'id_ed25519.pub',
      '.npmrc',
      '.pypirc',
      '.netrc',
      '.git-credentials',
      'credentials',
      'credentials.json',
      'config/credentials-prod.json',
    ])
      expect(isSecretFile(name), name).toBe(true);
  });

  it('lets templates and ordinary files through', () => {
    for (const name of ['.env.example', '.env.sample', '.env.template', 'app.py', 'keys.py', 'README.md'])
      expect(isSecretFile(name), name).toBe(false);
  });
});
