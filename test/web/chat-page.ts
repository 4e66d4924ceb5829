/**
 * The chat screen as a person uses it, found by accessible names only (roles and labels), so the
 * tests also check that the UI is labelled for screen readers.
 */
import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';

/** The deploy workflow's forms are all titled this (src/agents/deploy/nodes/intake.ts). */
export const DETAILS_FORM = 'A few details to deploy';

export class ChatPage {
  constructor(readonly page: Page) {}

  get conversation(): Locator {
    return this.page.getByRole('log', { name: 'Conversation' });
  }

  get planCard(): Locator {
    return this.page.getByRole('region', { name: 'Plan approval' }).last();
  }

  get progress(): Locator {
    return this.page.getByRole('region', { name: 'Deployment progress' }).last();
  }

  get steps(): Locator {
    return this.progress.getByRole('listitem');
  }

  nav(name: 'Chat' | 'History' | 'Credentials' | 'Timeline'): Locator {
    return this.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name });
  }

  async send(text: string): Promise<void> {
    const box = this.page.getByRole('textbox', { name: 'Message' });
    await box.fill(text);
    await this.page.getByRole('button', { name: 'Send', exact: true }).click();
  }

  /** Fills the newest form titled `title` (values by field label) and submits it. */
  async submitForm(title: string, values: Record<string, string>): Promise<void> {
    const form = this.page.getByRole('form', { name: title }).last();
    await form.waitFor();
    for (const [label, value] of Object.entries(values)) {
      const field = form.getByLabel(label, { exact: true });
      const tag = await field.evaluate((element) => element.tagName.toLowerCase());
      if (tag === 'select') await field.selectOption(value);
      else await field.fill(value);
    }
    await form.getByRole('button', { name: 'Submit' }).click();
  }

  /** Sends the deploy request and answers its forms; resolves once the plan card is shown. */
  async chatUntilPlan(repo: string, answers: Array<Record<string, string>>): Promise<void> {
    await this.send(`Deploy my FastAPI + Vite app from ./${repo} to us-east-1`);
    for (const values of answers) await this.submitForm(DETAILS_FORM, values);
    await this.planCard.getByRole('button', { name: 'Approve plan' }).waitFor();
  }

  /** Texts of the progress list's items, once every one has reached a final state. */
  async finalSteps(): Promise<string[]> {
    await this.progress.waitFor();
    const final = /completed|failed|skipped|compensated/i;
    for (let waited = 0; waited < 240_000; waited += 250) {
      const texts = await this.steps.allInnerTexts();
      if (texts.length > 0 && texts.every((text) => final.test(text)) && !texts.some(isRunning)) return texts;
      await this.page.waitForTimeout(250);
    }
    const texts = await this.steps.allInnerTexts();
    expect.fail(`the progress list never settled: ${JSON.stringify(texts)}`);
  }
}

export function isRunning(text: string): boolean {
  return /\brunning\b/i.test(text);
}
