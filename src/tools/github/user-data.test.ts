import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { renderUserData, shellQuote } from './user-data.js';

const OPTIONS = {
  appName: 'shop',
  artifactUrl:
    'https://bucket.s3.amazonaws.com/aws-copilot/shop/abc.zip?X-Amz-Signature=1&X-Amz-Expires=604800',
  sha256: 'a'.repeat(64),
  port: 8000,
  sourceDir: 'backend',
  asgiApp: 'app.main:app',
  healthPath: '/api/health',
};

describe('user data', () => {
  it('renders a bash script that parses, with strict mode and every value in place', () => {
    const script = renderUserData(OPTIONS);
    expect(script.startsWith('#!/bin/bash\n')).toBe(true);
    expect(script).toContain('set -euo pipefail');
    expect(script).toContain(`DEFAULT_ARTIFACT_URL='${OPTIONS.artifactUrl}'`);
    // Bash's own ${VAR:-default} syntax, not JavaScript placeholders.
    expect(script).toContain(`PORT="\${PORT:-8000}"`);
    expect(script).toContain(`APP_ROOT="\${APP_ROOT:-/opt/$APP_NAME}"`);
    expect(script).not.toMatch(/\{\{[A-Z_]+\}\}/);
    execFileSync('bash', ['-n'], { input: script });
  });

  it('quotes values so none can break out of the script', () => {
    for (const value of ["it's", '$(touch /tmp/pwned)', '`id`', 'a"b\\c', "'; rm -rf / #"]) {
      const echoed = execFileSync('bash', ['-c', `printf %s ${shellQuote(value)}`]).toString();
      expect(echoed).toBe(value);
    }
    const script = renderUserData({ ...OPTIONS, artifactUrl: "https://x/y?a='$(id)'" });
    execFileSync('bash', ['-n'], { input: script });
    expect(script).toContain(`DEFAULT_ARTIFACT_URL=${shellQuote("https://x/y?a='$(id)'")}`);
  });

  it('refuses a port outside 1-65535', () => {
    expect(() => renderUserData({ ...OPTIONS, port: 0 })).toThrow(/port/);
  });
});
