/**
 * Shared setup of the browser tests: the server of `aws-copilot serve` with the built UI on
 * loopback (offline model, sandbox), one headless Chromium, and pages signed in as a person would.
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page, WebSocket as PageSocket } from 'playwright-core';
import { expect, onTestFailed } from 'vitest';
import type { ServerFrame } from '../../src/protocol/ws.js';
import { launchBrowser, newContext, requireBuiltWebUi, saveScreenshot } from '../helpers/browser.js';
import {
  ApiClient,
  bearer,
  type ServerHarness,
  type ServerHarnessOptions,
  startServerHarness,
  TEST_TOKEN,
} from '../helpers/server-harness.js';
import { sandboxEndpoint } from '../helpers/tool-harness.js';

/** Per test and hook: a browser deployment on a busy two-core machine can take minutes (never asserted). */
export const BROWSER_TEST = { timeout: 600_000 };

export interface WebApp {
  harness: ServerHarness;
  browser: Browser;
  /** The REST API as the single user (bearer token), to compare the UI with. */
  api: ApiClient;
  close(): Promise<void>;
}

export async function startWebApp(options: ServerHarnessOptions = {}): Promise<WebApp> {
  // A copy: a rebuild of web/dist while the tests run cannot pull the files from under the server.
  const webRoot = mkdtempSync(join(tmpdir(), 'web-ui-'));
  cpSync(requireBuiltWebUi(), webRoot, { recursive: true });
  const harness = await startServerHarness({ webRoot, sandboxEndpoint: sandboxEndpoint(), ...options });
  const browser = await launchBrowser().catch(async (error: unknown) => {
    await harness.close();
    throw error;
  });
  return {
    harness,
    browser,
    api: new ApiClient(harness.url, bearer()),
    close: async () => {
      await browser.close();
      await harness.close();
      rmSync(webRoot, { recursive: true, force: true });
    },
  };
}

/** Every frame the page's WebSockets received, in order, across reloads. */
export class FrameRecorder {
  readonly frames: ServerFrame[] = [];
  /** One entry per socket the page opened, with the frames it received. */
  readonly sockets: ServerFrame[][] = [];
  readonly raw: string[] = [];

  constructor(page: Page) {
    page.on('websocket', (socket: PageSocket) => {
      const received: ServerFrame[] = [];
      this.sockets.push(received);
      socket.on('framereceived', ({ payload }) => {
        const text = typeof payload === 'string' ? payload : payload.toString('utf8');
        this.raw.push(text);
        try {
          const frame = JSON.parse(text) as ServerFrame;
          received.push(frame);
          this.frames.push(frame);
        } catch {
          // Not JSON: kept in `raw` for the leak checks.
        }
      });
    });
  }

  /** Waits (generously) until a received frame matches; never a timed assertion. */
  async waitFor(match: (frame: ServerFrame) => boolean, from = 0): Promise<ServerFrame> {
    for (let waited = 0; waited < 240_000; waited += 100) {
      const found = this.frames.slice(from).find(match);
      if (found) return found;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`no matching frame; received: ${this.frames.map((frame) => frame.type).join(', ')}`);
  }

  sessionId(): string {
    const hello = this.frames.findLast((frame) => frame.type === 'hello');
    if (hello?.type !== 'hello') throw new Error('the page opened no /ws/agent session');
    return hello.session_id;
  }
}

/**
 * When the running test fails, the page as it was is kept as `failed-<test name>.png`, with what
 * the page logged and which requests failed in `failed-<test name>.log`.
 */
export function screenshotOnFailure(page: Page): void {
  const name = (expect.getState().currentTestName ?? 'test').replace(/[^\w-]+/g, '-').slice(0, 80);
  const log: string[] = [];
  page.on('console', (message) => log.push(`console.${message.type()}: ${message.text()}`));
  page.on('pageerror', (error) => log.push(`page error: ${error.message}`));
  page.on('response', (response) => {
    if (response.status() >= 400) log.push(`HTTP ${response.status()} ${response.url()}`);
  });
  onTestFailed(async () => {
    const path = await saveScreenshot(page, `failed-${name}`).catch(() => undefined);
    if (path) writeFileSync(path.replace(/\.png$/, '.log'), `${page.url()}\n${log.join('\n')}\n`);
  });
}

/** A fresh profile signed in through the single-user start-up URL, which must drop the token. */
export async function openSignedIn(
  app: WebApp,
  options: { width?: number; height?: number } = {},
): Promise<{ context: BrowserContext; page: Page; frames: FrameRecorder }> {
  const context = await newContext(app.browser, options);
  const page = await context.newPage();
  const frames = new FrameRecorder(page);
  screenshotOnFailure(page);
  await page.goto(`${app.harness.url}/?token=${TEST_TOKEN}`);
  await page.waitForURL((url) => url.pathname === '/' && !url.search.includes(TEST_TOKEN));
  expect(page.url()).not.toContain(TEST_TOKEN);
  return { context, page, frames };
}

/** Polls `read` until `done` holds; for state outside the page (AWS, the store). */
export async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  let value = await read();
  for (let attempt = 0; attempt < 600 && !done(value); attempt += 1) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    value = await read();
  }
  return value;
}
