/**
 * Issue 5, done when: a person deploys the sample app by chatting in the browser, approves the
 * plan, sees the result and the URL and finds the deployment in history; rejecting a plan creates
 * nothing in the sandbox. Headless Chromium against the server on loopback (offline model, sandbox).
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeShopRepo } from '../github/repo-fixtures.js';
import { saveScreenshot } from '../helpers/browser.js';
import { uniqueName } from '../helpers/unique-name.js';
import { ChatPage } from './chat-page.js';
import { bucketExists, liveInstances, sandboxImage } from './sandbox-checks.js';
import { BROWSER_TEST, openSignedIn, startWebApp, type WebApp } from './web-app.js';

/** No part of the page is wider than the screen: nothing to scroll sideways to reach. */
async function fitsWidth(page: Page): Promise<boolean> {
  // A string: the test files are type-checked without the DOM library.
  return page.evaluate<boolean>('document.documentElement.scrollWidth <= window.innerWidth');
}

describe('deploying by chat in the browser', BROWSER_TEST, () => {
  let app: WebApp;
  let image: string;
  beforeAll(async () => {
    app = await startWebApp();
    image = await sandboxImage(app.harness.tools);
  });
  afterAll(() => app?.close());

  it('deploys the sample app: forms, plan card, approval, progress with the URL, history and details', async () => {
    const repo = makeShopRepo(app.harness.tools, uniqueName('shop'));
    const bucket = uniqueName('stage');
    const { page, frames, context } = await openSignedIn(app);
    const chat = new ChatPage(page);
    // Visible on every screen while AWS calls go to the emulator.
    await page
      .getByText(/SANDBOX/)
      .first()
      .waitFor();

    await chat.chatUntilPlan(repo, [{ target: 'ec2' }, { 'ami id': image, 'staging bucket': bucket }]);
    const card = chat.planCard;
    expect(await card.innerText()).toContain('create_bucket');
    expect(await card.innerText()).toContain('deploy_ec2_repo');
    expect(await card.innerText()).toContain(bucket);
    await saveScreenshot(page, 'chat-plan-card');
    // Previewed, not applied: nothing exists before the person approves.
    expect(await bucketExists(app.harness.tools, bucket)).toBe(false);

    await card.getByRole('button', { name: 'Approve plan' }).click();
    const steps = await chat.finalSteps();
    expect(steps).toHaveLength(2);
    for (const step of steps) expect(step).toMatch(/completed/i);
    const end = await frames.waitFor((frame) => frame.type === 'deployment-end');
    if (end.type !== 'deployment-end') throw new Error('unreachable');
    expect(end.status).toBe('succeeded');
    const url = end.url ?? '';
    expect(url).toMatch(/^http:\/\/[\d.]+:8000\/api\/health$/);
    const link = chat.progress.getByRole('link', { name: url });
    await link.waitFor();
    expect(await link.getAttribute('href')).toBe(url);
    await saveScreenshot(page, 'deployment-progress');

    // The sandbox really holds what the plan said: the staging bucket and a running instance.
    expect(await bucketExists(app.harness.tools, bucket)).toBe(true);
    expect(await liveInstances(app.harness.tools, repo)).toHaveLength(1);

    await chat.nav('History').click();
    await page.getByRole('heading', { name: 'Deployments' }).waitFor();
    const row = page.getByRole('row').filter({ hasText: url });
    await row.waitFor();
    const rowText = await row.innerText();
    expect(rowText).toMatch(/succeeded/i);
    expect(rowText).toContain('ec2');
    expect(rowText).toContain('us-east-1');
    await saveScreenshot(page, 'history');

    await row.getByRole('link', { name: 'Details' }).click();
    await page.waitForURL((address) => address.pathname === `/history/${end.deployment_id}`);
    const details = page.getByRole('main');
    await details.getByText(url).first().waitFor();
    const detailsText = await details.innerText();
    expect(detailsText).toMatch(/succeeded/i);
    for (const stepId of ['staging-bucket', 'instance']) expect(detailsText).toContain(stepId);
    await saveScreenshot(page, 'deployment-details');

    await chat.nav('Timeline').click();
    await page.getByRole('heading', { name: /Timeline/i }).waitFor();
    await page
      .getByText(/intake/)
      .first()
      .waitFor();
    await saveScreenshot(page, 'timeline');

    // The same conversation on a phone-sized screen: nothing hidden off the side.
    await page.setViewportSize({ width: 375, height: 812 });
    await chat.nav('Chat').click();
    await chat.conversation.waitFor();
    await page.getByRole('textbox', { name: 'Message' }).waitFor();
    expect(await fitsWidth(page)).toBe(true);
    await saveScreenshot(page, 'chat-narrow-375');
    await context.close();
  });

  it('creates nothing in the sandbox when the person rejects the plan', async () => {
    const repo = makeShopRepo(app.harness.tools, uniqueName('kiosk'));
    const bucket = uniqueName('stage');
    const { page, frames, context } = await openSignedIn(app);
    const chat = new ChatPage(page);
    await chat.chatUntilPlan(repo, [{ target: 'ec2' }, { 'ami id': image, 'staging bucket': bucket }]);
    const approval = await frames.waitFor((frame) => frame.type === 'approval-request');
    if (approval.type !== 'approval-request') throw new Error('unreachable');
    const planned = approval.steps.map((step) => step.args);
    expect(planned.map((args) => args.bucket_name ?? args.staging_bucket)).toEqual([bucket, bucket]);

    const seen = frames.frames.length;
    await chat.planCard.getByRole('button', { name: 'Reject plan' }).click();
    await frames.waitFor((frame) => frame.type === 'turn-end', seen);
    await chat.planCard
      .getByText(/rejected/i)
      .first()
      .waitFor();
    expect(await chat.planCard.getByRole('button', { name: 'Approve plan' }).isDisabled()).toBe(true);
    expect(frames.frames.some((frame) => frame.type === 'step-start')).toBe(false);

    // Neither the bucket nor the instance the plan named exists, and the journal is empty.
    expect(await bucketExists(app.harness.tools, bucket)).toBe(false);
    expect(await liveInstances(app.harness.tools, repo)).toEqual([]);
    const deployment = await app.api.get(`/api/deployments/${approval.deployment_id}`);
    expect(deployment.body.journal).toEqual([]);
    expect(deployment.body.deployment.status).not.toBe('succeeded');
    await context.close();
  });
});
