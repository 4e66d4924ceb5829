import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ENV_BINDINGS, settingsSchema } from '../../src/config/settings.js';
import { modelEnvironmentVariables } from '../../src/models/model-settings.js';
import { CATALOG } from '../../src/tools/catalog.js';
import { REPO_ROOT } from '../helpers/cli.js';

const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');

describe('README', () => {
  it('documents every tool of the catalog with its risk (npm run docs:tools regenerates the table)', () => {
    const section = /<!-- tools:start -->([\s\S]*)<!-- tools:end -->/.exec(readme)?.[1] ?? '';
    for (const tool of CATALOG)
      expect(section).toMatch(new RegExp(`\\|\\s*\`${tool.name}\`\\s*\\|\\s*${tool.risk}`));
  });

  it('documents every setting and its environment variables', () => {
    for (const key of Object.keys(settingsSchema.shape)) expect(readme).toContain(`\`${key}\``);
    for (const binding of ENV_BINDINGS)
      for (const name of binding.env) expect(readme).toContain(`\`${name}\``);
  });

  it('documents every model setting', () => {
    for (const name of modelEnvironmentVariables()) expect(readme).toContain(`\`${name}\``);
  });

  it('opens with a quick start whose test command is the one CI runs', () => {
    const ci = readFileSync(join(REPO_ROOT, '.ci', 'run'), 'utf8');
    expect(readme).toContain('npm ci && npm test');
    expect(ci).toMatch(/^npm ci && npm test$/m);
  });
});
