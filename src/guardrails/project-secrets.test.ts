import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dotenvValues, registerProjectSecrets } from './project-secrets.js';
import { createRedactor, MASK } from './redaction.js';

describe('project .env values', () => {
  it('parses values with export, quotes and comments, skipping configuration words', () => {
    const text = [
      '# a comment',
      'export DB_URL="postgres://u:pw@h/db"',
      "API_TOKEN='tok-abc-123456'",
      'STRIPE=sk_live_xyz789 # inline comment',
      'PORT=8000',
      'DEBUG=true',
      'NODE_ENV=production',
      'REGION=us-east-1',
      'EMPTY=',
    ].join('\n');
    expect(dotenvValues(text)).toEqual(['postgres://u:pw@h/db', 'tok-abc-123456', 'sk_live_xyz789']);
  });

  it('registers the values of real .env files (root, backend, frontend) and ignores templates', () => {
    const root = mkdtempSync(join(tmpdir(), 'project-'));
    mkdirSync(join(root, 'backend'));
    writeFileSync(join(root, '.env'), 'ROOT_SECRET=root-value-1234\n');
    writeFileSync(join(root, 'backend', '.env.local'), 'BACKEND_SECRET=backend-value-5678\n');
    writeFileSync(join(root, '.env.example'), 'TEMPLATE_VALUE=template-placeholder\n');
    const redactor = createRedactor();
    expect(registerProjectSecrets(root, redactor)).toBe(2);
    expect(redactor.text('root-value-1234 backend-value-5678 template-placeholder')).toBe(
      `${MASK} ${MASK} template-placeholder`,
    );
  });
});
