/**
 * Headless Chromium from Debian's packages, driven by playwright-core, for the browser tests: one
 * browser per test file, a fresh profile per context, and screenshots kept as artifacts under
 * test-artifacts/screenshots/.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { DEFAULT_WEB_ROOT } from '../../src/server/app.js';
import { CHROMIUM_PATH, ensureChromium } from './services/chromium.js';

export const SCREENSHOT_DIR = resolve(import.meta.dirname, '..', '..', 'test-artifacts', 'screenshots');

/** Nothing reaches out of the machine on its own: no updates, no sync, no QUIC probes. */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** The built UI the server serves; the browser tests are meaningless without it. */
export function requireBuiltWebUi(): string {
  if (!existsSync(join(DEFAULT_WEB_ROOT, 'index.html')))
    throw new Error(
      `the browser tests need the built web UI at ${DEFAULT_WEB_ROOT}/index.html: run npm run build:web (npm test does it first)`,
    );
  return DEFAULT_WEB_ROOT;
}

export async function launchBrowser(): Promise<Browser> {
  // The global setup installs it; this covers a run that skipped it (and says how to fix a failure).
  ensureChromium();
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
}

/** A context is a fresh profile: no cookies or storage shared with any other context. */
export async function newContext(
  browser: Browser,
  options: { width?: number; height?: number } = {},
): Promise<BrowserContext> {
  const context = await browser.newContext({
    viewport: { width: options.width ?? 1280, height: options.height ?? 900 },
  });
  // The machine is slow and shared: waits are generous; assertions never depend on them.
  context.setDefaultTimeout(60_000);
  context.setDefaultNavigationTimeout(60_000);
  return context;
}

/** Saves the whole page as test-artifacts/screenshots/<name>.png and returns the path. */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
