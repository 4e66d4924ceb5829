/**
 * Issue 5, done when: a second user sees none of the first user's sessions, deployments or
 * credentials. Multi-user mode with password accounts; each person in a browser profile of their own.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/server/passwords.js';
import { createExecutionRole } from '../aws/lambda-fixtures.js';
import { makeShopRepo } from '../github/repo-fixtures.js';
import { newContext, saveScreenshot } from '../helpers/browser.js';
import { uniqueName } from '../helpers/unique-name.js';
import { ChatPage } from './chat-page.js';
import { functionState } from './sandbox-checks.js';
import { BROWSER_TEST, FrameRecorder, screenshotOnFailure, startWebApp, type WebApp } from './web-app.js';

const ANN = { name: 'ann', password: 'correct horse battery staple' };
const BOB = { name: 'bob', password: 'another long passphrase' };

async function signIn(
  app: WebApp,
  person: { name: string; password: string },
  screenshot?: string,
): Promise<{ context: BrowserContext; page: Page; frames: FrameRecorder }> {
  const context = await newContext(app.browser);
  const page = await context.newPage();
  const frames = new FrameRecorder(page);
  screenshotOnFailure(page);
  await page.goto(app.harness.url);
  await page.getByLabel('Username', { exact: true }).waitFor();
  if (screenshot) await saveScreenshot(page, screenshot);
  await page.getByLabel('Username', { exact: true }).fill(person.name);
  await page.getByLabel('Password', { exact: true }).fill(person.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('textbox', { name: 'Message' }).waitFor();
  return { context, page, frames };
}

describe('two people on one multi-user server', BROWSER_TEST, () => {
  let app: WebApp;
  beforeAll(async () => {
    app = await startWebApp({ auth: { kind: 'multi-user' } });
    for (const person of [ANN, BOB])
      await app.harness.app.store.users.create({
        id: randomUUID(),
        name: person.name,
        passwordHash: await hashPassword(person.password),
      });
  });
  afterAll(() => app?.close());

  it("shows the second person none of the first one's sessions, deployments or credentials", async () => {
    const role = await createExecutionRole();
    const repo = makeShopRepo(app.harness.tools, uniqueName('annshop'));
    const ann = await signIn(app, ANN, 'sign-in');
    const annChat = new ChatPage(ann.page);
    await annChat.chatUntilPlan(repo, [{ target: 'lambda' }, { 'role arn': role }]);
    const approval = await ann.frames.waitFor((frame) => frame.type === 'approval-request');
    if (approval.type !== 'approval-request' || !approval.deployment_id) throw new Error('no deployment id');
    const functionName = String(approval.steps[0]?.args.function_name);
    await annChat.planCard.getByRole('button', { name: 'Approve plan' }).click();
    expect(await annChat.finalSteps()).toEqual([expect.stringMatching(/completed/i)]);
    expect(await functionState(app.harness.tools, functionName)).toBe('Active');
    // Ann is shown the address her function answers at; bob must never see it.
    const end = await ann.frames.waitFor((frame) => frame.type === 'deployment-end');
    if (end.type !== 'deployment-end' || !end.url) throw new Error('no deployment url');
    expect(end.url).toMatch(/^https:\/\/.+\.lambda-url\.us-east-1\.on\.aws\/api\/health$/);
    await annChat.progress.getByRole('link', { name: end.url }).waitFor();
    const annSession = ann.frames.sessionId();

    const keyId = `AKIA${randomBytes(6).toString('hex').toUpperCase()}ANN1`;
    await ann.page.getByRole('button', { name: 'Configure AWS Credentials' }).click();
    const dialog = ann.page.getByRole('dialog', { name: 'Configure AWS Credentials' });
    await dialog.getByLabel('Credential name', { exact: true }).fill('ann-prod');
    await dialog.getByLabel('Access key ID', { exact: true }).fill(keyId);
    await dialog.getByLabel('Secret access key', { exact: true }).fill(randomBytes(30).toString('base64'));
    await dialog.getByRole('button', { name: 'Save credentials' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await annChat.nav('History').click();
    await ann.page.getByRole('link', { name: 'Details' }).first().waitFor();

    // Bob, in a profile of his own, chats once: each screen is read once his own data is on it.
    const bob = await signIn(app, BOB);
    const bobChat = new ChatPage(bob.page);
    await bobChat.send('what can you do?');
    await bob.frames.waitFor((frame) => frame.type === 'turn-end');
    const sidebar = bob.page.getByRole('complementary', { name: 'Sessions' });
    await sidebar.getByRole('link', { name: /what can you do/ }).waitFor();
    const screens = [await bob.page.locator('body').innerText()];
    await bobChat.nav('History').click();
    await bob.page.getByText('No deployments yet').waitFor();
    expect(await bob.page.getByRole('link', { name: 'Details' }).count()).toBe(0);
    screens.push(await bob.page.locator('body').innerText());
    await bobChat.nav('Credentials').click();
    await bob.page.getByText('No credentials stored.').waitFor();
    screens.push(await bob.page.locator('body').innerText());
    await bobChat.nav('Timeline').click();
    await bob.page.getByRole('list', { name: 'Telemetry events' }).getByRole('listitem').first().waitFor();
    const sessionChoices = await bob.page
      .getByLabel('Session', { exact: true })
      .locator('option')
      .allInnerTexts();
    expect(sessionChoices).toHaveLength(2);
    screens.push(await bob.page.locator('body').innerText(), sessionChoices.join('\n'));
    const annTraces = [
      annSession,
      approval.deployment_id,
      functionName,
      repo,
      end.url,
      'ann-prod',
      `${keyId.slice(0, 4)}…${keyId.slice(-4)}`,
    ];
    for (const screen of screens) for (const trace of annTraces) expect(screen).not.toContain(trace);

    // Ann's addresses, typed by bob: a not-found message, never ann's data.
    for (const path of [`/history/${approval.deployment_id}`, `/?session=${annSession}`]) {
      await bob.page.goto(`${app.harness.url}${path}`);
      await bob.page
        .getByText(/not found|no such|forbidden/i)
        .first()
        .waitFor();
      const text = await bob.page.locator('body').innerText();
      for (const trace of [functionName, repo]) expect(text).not.toContain(trace);
    }
    expect(bob.frames.frames.some((frame) => 'session_id' in frame && frame.session_id === annSession)).toBe(
      false,
    );
    await ann.context.close();
    await bob.context.close();
  });
});
