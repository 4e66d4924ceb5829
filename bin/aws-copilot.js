#!/usr/bin/env node
// Entry point installed as `aws-copilot`; the compiled CLI lives in dist/ (built by `npm ci` / `npm run build`).
import { existsSync } from 'node:fs';

const main = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(main)) {
  process.stderr.write(
    'aws-copilot is not built yet: run `npm ci` (or `npm run build`) in the checkout first\n',
  );
  process.exit(2);
}
await import(main.href);
