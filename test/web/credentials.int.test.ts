/**
 * Issue 5, done when: the "Configure AWS Credentials" dialog stores credentials that never come
 * back in clear through any route. Planted values are searched for in every REST answer, the page
 * and its scripts, every WebSocket frame the page received, the DOM and the browser's storage.
 */
import { randomBytes } from 'node:crypto';
import type { APIRequestContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveScreenshot } from '../helpers/browser.js';
import { ChatPage } from './chat-page.js';
import { BROWSER_TEST, openSignedIn, startWebApp, type WebApp } from './web-app.js';

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** AKIA + 12 random capitals and digits + WXYZ: the mask is AKIA…WXYZ, the middle must never show. */
function plantedKeyId(): string {
  const middle = [...randomBytes(12)].map((byte) => UPPER[byte % UPPER.length]).join('');
  return `AKIA${middle}WXYZ`;
}

/** Everything the page holds outside its JavaScript heap: markup, typed values, both storages. */
async function pageState(page: Page): Promise<string> {
  // A string: the test files are type-checked without the DOM library.
  const state = await page.evaluate<unknown>(`({
    fields: [...document.querySelectorAll('input, textarea, select')].map((field) => field.value),
    local: { ...localStorage },
    session: { ...sessionStorage },
  })`);
  return `${await page.content()}\n${JSON.stringify(state)}`;
}

/** The answers of every GET route a signed-in browser can call, with its own cookie. */
async function everyRoute(request: APIRequestContext, base: string, sessionIds: string[]): Promise<string[]> {
  const paths = [
    '/',
    '/credentials',
    '/history',
    '/timeline',
    '/api/health',
    '/api/auth/me',
    '/api/credentials',
    '/api/sessions',
    '/api/deployments',
    '/api/metrics',
    ...sessionIds.flatMap((id) => [
      `/api/sessions/${id}`,
      `/api/sessions/${id}/events`,
      `/api/sessions/${id}/telemetry`,
      `/api/sessions/${id}/reports`,
    ]),
  ];
  const answers: string[] = [];
  for (const path of paths) {
    const answer = await request.get(`${base}${path}`);
    expect(answer.status(), path).toBeLessThan(400);
    answers.push(await answer.text());
  }
  // The UI's own scripts and styles, as the page references them.
  const html = answers[0] ?? '';
  for (const [, asset] of html.matchAll(/(?:src|href)="(\/[^"]+)"/g))
    answers.push(await (await request.get(`${base}${asset}`)).text());
  return answers;
}

describe('the credentials dialog', BROWSER_TEST, () => {
  let app: WebApp;
  beforeAll(async () => {
    app = await startWebApp();
  });
  afterAll(() => app?.close());

  it('stores a key shown only masked, which no route, frame, page or storage gives back; deleted from the UI', async () => {
    const keyId = plantedKeyId();
    const secret = randomBytes(30).toString('base64');
    const sessionToken = `FwoGZXIvYXdzE${randomBytes(48).toString('base64url')}`;
    const planted = [keyId, keyId.slice(4, -4), secret, sessionToken];
    const { page, frames, context } = await openSignedIn(app);
    const bodies: string[] = [];
    page.on('response', async (response) => {
      bodies.push(await response.text().catch(() => ''));
    });
    const chat = new ChatPage(page);
    // A conversation, so sessions, events and telemetry routes have something to answer.
    await chat.send('what can you do?');
    await frames.waitFor((frame) => frame.type === 'turn-end');

    await page.getByRole('button', { name: 'Configure AWS Credentials' }).click();
    const dialog = page.getByRole('dialog', { name: 'Configure AWS Credentials' });
    await dialog.waitFor();
    expect(await dialog.getByLabel('Secret access key', { exact: true }).getAttribute('type')).toBe(
      'password',
    );
    // Taken before anything is typed: no screenshot ever holds a secret.
    await saveScreenshot(page, 'credentials-dialog');
    await dialog.getByLabel('Credential name', { exact: true }).fill('default');
    await dialog.getByLabel('Access key ID', { exact: true }).fill(keyId);
    await dialog.getByLabel('Secret access key', { exact: true }).fill(secret);
    await dialog.getByLabel('Session token (optional)', { exact: true }).fill(sessionToken);
    await dialog.getByRole('button', { name: 'Save credentials' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const mask = `${keyId.slice(0, 4)}…${keyId.slice(-4)}`;
    for (const value of planted) expect(await pageState(page)).not.toContain(value);

    await chat.nav('Credentials').click();
    await page.getByRole('heading', { name: 'Credentials' }).waitFor();
    const row = page.getByRole('row').filter({ hasText: 'default' });
    await row.getByText(mask).waitFor();
    await saveScreenshot(page, 'credentials-page');
    for (const value of planted) expect(await pageState(page)).not.toContain(value);

    // Once more after storing, so the socket carries frames written while a credential exists.
    await chat.nav('Chat').click();
    const seen = frames.frames.length;
    await chat.send('what can you do?');
    await frames.waitFor((frame) => frame.type === 'turn-end', seen);
    const sessions = (await app.api.get('/api/sessions')).body.sessions.map(
      (session: { id: string }) => session.id,
    );
    expect(sessions.length).toBeGreaterThan(0);
    const answers = await everyRoute(context.request, app.harness.url, sessions);
    expect(answers.join('\n')).toContain(mask);
    const everything = [...answers, ...bodies, ...frames.raw, await pageState(page)].join('\n');
    for (const value of planted) expect(everything).not.toContain(value);

    await chat.nav('Credentials').click();
    await row.getByRole('button', { name: 'Delete' }).click();
    await row.getByRole('button', { name: 'Confirm delete' }).click();
    await row.waitFor({ state: 'detached' });
    expect((await app.api.get('/api/credentials')).body.credentials).toEqual([]);
    await context.close();
  });
});
