/**
 * Files that hold credentials: repo_reader lists them but never returns their content, so secrets
 * stay out of prompts, and the repo deployers leave them out of every package they build.
 */
import { basename } from 'node:path';

const SECRET_FILE_PATTERNS: RegExp[] = [
  /^\.env$/,
  /^\.env\..+$/,
  /\.pem$/,
  /\.key$/,
  /\.(?:p12|pfx)$/,
  /^id_(?:rsa|dsa|ecdsa|ed25519)/,
  /^\.npmrc$/,
  /^\.pypirc$/,
  /^\.netrc$/,
  /^\.git-credentials$/,
  /^credentials$/,
  // Cloud service-account keys, e.g. credentials.json or credentials-prod.json.
  /^credentials.*\.json$/,
];

/**
 * Templates that document which variables an app needs and, by convention, hold no values; the
 * deploy agents read them to learn the app's configuration. Their content is still redacted.
 */
const ENV_TEMPLATE = /^\.env\.(?:example|sample|template)$/;

/** True when the file's name marks it as holding credentials (`.env`, keys, package-registry tokens). */
export function isSecretFile(path: string): boolean {
  const name = basename(path).toLowerCase();
  if (ENV_TEMPLATE.test(name)) return false;
  return SECRET_FILE_PATTERNS.some((pattern) => pattern.test(name));
}
