/**
 * `.env` files of the user's project: their values are registered with the redactor so they are
 * masked in every sink, and nothing else of them is kept. The Context Curator only ever reads
 * variable names from templates (.env.example); the values read here never enter a context,
 * a prompt or the store.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { type Redactor, redactor as sharedRedactor } from './redaction.js';

const ENV_FILE = /^\.env(?:\..+)?$/;
const TEMPLATE = /^\.env\.(?:example|sample|template|dist)$/i;
/** A .env file is small; anything bigger is not one worth reading whole. */
const MAX_BYTES = 1024 * 1024;
/** Folders where projects keep their .env files. */
const FOLDERS = ['.', 'backend', 'frontend', 'app', 'api'];

/**
 * Values that configure rather than authenticate; masking them would only blur every message that
 * mentions a region, a port or a mode.
 */
function isConfigWord(value: string): boolean {
  return (
    /^-?\d+(\.\d+)?$/.test(value) ||
    /^(true|false|yes|no|on|off|null|none)$/i.test(value) ||
    /^(production|prod|development|dev|staging|stage|test|testing|local|debug|info|warn|warning|error)$/i.test(
      value,
    ) ||
    /^[a-z]{2}(-gov)?-[a-z]+-\d$/.test(value) ||
    /^(https?:\/\/)?(localhost|127\.0\.0\.1|0\.0\.0\.0)(:\d+)?\/?$/i.test(value)
  );
}

/** `NAME=value` lines (with `export`, quotes and trailing comments) -> values. */
export function dotenvValues(text: string): string[] {
  const values: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const match = /^\s*(?:export\s+)?[A-Za-z_][A-Za-z0-9_.-]*\s*=\s*(.*)$/.exec(line);
    if (!match) continue;
    let value = (match[1] ?? '').trim();
    const quote = value[0];
    if ((quote === '"' || quote === "'" || quote === '`') && value.lastIndexOf(quote) > 0)
      value = value.slice(1, value.lastIndexOf(quote));
    else value = value.replace(/\s+#.*$/, '');
    if (value && !isConfigWord(value)) values.push(value);
  }
  return values;
}

/** Registers the values of every real `.env` file of the project; returns how many were found. */
export function registerProjectSecrets(projectRoot: string, target: Redactor = sharedRedactor): number {
  let count = 0;
  for (const folder of FOLDERS) {
    const directory = join(projectRoot, folder);
    let names: string[];
    try {
      names = readdirSync(directory);
    } catch {
      continue;
    }
    for (const name of names.filter((candidate) => ENV_FILE.test(candidate) && !TEMPLATE.test(candidate))) {
      let text: string;
      try {
        const path = join(directory, name);
        if (!statSync(path).isFile() || statSync(path).size > MAX_BYTES) continue;
        text = readFileSync(path, 'utf8');
      } catch {
        continue;
      }
      const values = dotenvValues(text);
      target.addSecrets(values);
      count += values.length;
    }
  }
  return count;
}
