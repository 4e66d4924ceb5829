#!/usr/bin/env node
// Rewrites the tool table in README.md from the catalog (run `npm run build` first): name, risk,
// IAM actions and description come from each tool's definition, so the README cannot drift.
import { readFileSync, writeFileSync } from 'node:fs';
import { CATALOG } from '../dist/tools/catalog.js';

const readmePath = new URL('../README.md', import.meta.url);
const readme = readFileSync(readmePath, 'utf8');
const rows = [...CATALOG]
  .sort((a, b) => a.name.localeCompare(b.name))
  .map(
    (tool) =>
      `| \`${tool.name}\` | ${tool.risk}${tool.irreversible ? ' (irreversible)' : ''} | ${tool.iam.map((action) => `\`${action}\``).join(' ')} | ${tool.description.replaceAll('|', '\\|')} |`,
  );
const table = ['| tool | risk | IAM actions | what it does |', '|---|---|---|---|', ...rows].join('\n');
const updated = readme.replace(
  /<!-- tools:start -->[\s\S]*<!-- tools:end -->/,
  `<!-- tools:start -->\n${table}\n<!-- tools:end -->`,
);
writeFileSync(readmePath, updated);
process.stdout.write(`README.md: ${rows.length} tools\n`);
