/** Debian's Chromium for the browser tests: where it lives, and installing it when it is missing. */
import { existsSync } from 'node:fs';
import { ensureDebianPackage } from './system-packages.js';

export const CHROMIUM_PATH = '/usr/bin/chromium';

export function ensureChromium(): void {
  ensureDebianPackage('chromium', () => existsSync(CHROMIUM_PATH), 'the browser tests (test/web)');
}
