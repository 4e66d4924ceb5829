/**
 * Issue 5, done when: reloading the page mid-deployment shows the progress without losing an
 * event. A proxy in front of the sandbox holds the instance launch, so the reload lands while a
 * step is running, whatever the machine's speed; the launch is released only after the reload.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventFrame } from '../../src/protocol/ws.js';
import { makeShopRepo } from '../github/repo-fixtures.js';
import { actionOf, type FaultProxy, type ProxiedRequest, startFaultProxy } from '../helpers/fault-proxy.js';
import { sandboxEndpoint } from '../helpers/tool-harness.js';
import { uniqueName } from '../helpers/unique-name.js';
import { ChatPage, isRunning } from './chat-page.js';
import { sandboxImage } from './sandbox-checks.js';
import { BROWSER_TEST, eventually, openSignedIn, startWebApp, type WebApp } from './web-app.js';

/** The real launch; the preview's DryRun launch passes untouched. */
const isLaunch = (request: ProxiedRequest) =>
  actionOf(request) === 'RunInstances' && !/(?:^|&)DryRun=true/.test(request.body);

describe('reloading the page mid-deployment', BROWSER_TEST, () => {
  let proxy: FaultProxy;
  let app: WebApp;
  let image: string;
  beforeAll(async () => {
    proxy = await startFaultProxy(sandboxEndpoint());
    app = await startWebApp({ awsEndpointUrl: proxy.endpointUrl });
    image = await sandboxImage(app.harness.tools);
  });
  afterAll(async () => {
    await app?.close();
    await proxy?.close();
  });

  it('shows every step once, with its final state and the URL, and the store holds no event the page lacks', async () => {
    let release: () => void = () => undefined;
    proxy.addRule({ match: isLaunch, times: 1, until: new Promise<void>((resolve) => (release = resolve)) });
    const repo = makeShopRepo(app.harness.tools, uniqueName('shop'));
    const { page, frames, context } = await openSignedIn(app);
    const chat = new ChatPage(page);
    try {
      await chat.chatUntilPlan(repo, [
        { target: 'ec2' },
        { 'ami id': image, 'staging bucket': uniqueName('stage') },
      ]);
      const sessionId = frames.sessionId();
      await chat.planCard.getByRole('button', { name: 'Approve plan' }).click();

      // The launch is held at the proxy: the second step is running, and stays so through the reload.
      expect(
        await eventually(
          async () => proxy.requests.some(isLaunch),
          (held) => held,
        ),
      ).toBe(true);
      await chat.steps
        .filter({ hasText: /running/i })
        .first()
        .waitFor();
      const socketsBefore = frames.sockets.length;
      const framesBefore = frames.frames.length;
      await page.reload();
      await chat.progress.waitFor();
      await chat.steps
        .filter({ hasText: /running/i })
        .first()
        .waitFor();
      // Replayed while the launch is still held: the first step done, the second one running.
      expect(await chat.steps.allInnerTexts()).toEqual([
        expect.stringMatching(/create_bucket.*completed/),
        expect.stringMatching(/deploy_ec2_repo.*running/),
      ]);
      expect(frames.sockets.length).toBeGreaterThan(socketsBefore);
      expect(frames.sessionId()).toBe(sessionId);
      release();

      const rendered = await chat.finalSteps();
      const end = await frames.waitFor((frame) => frame.type === 'deployment-end', framesBefore);
      if (end.type !== 'deployment-end' || !end.url) throw new Error('the deployment ended without a URL');
      await chat.progress.getByRole('link', { name: end.url }).waitFor();
      // The turn is over: the store holds every event it will.
      await frames.waitFor((frame) => frame.type === 'turn-end', framesBefore);

      // What the store recorded is what the page shows: each step once, in order, in its final state.
      const stored = (await app.api.get(`/api/sessions/${sessionId}/events`)).body.events as EventFrame[];
      const starts = stored.filter((event) => event.type === 'step-start');
      const ends = stored.filter((event) => event.type === 'step-end');
      expect(starts.map((event) => event.step_id)).toEqual(['staging-bucket', 'instance']);
      expect(rendered).toHaveLength(starts.length);
      rendered.forEach((text, index) => {
        const stepEnd = ends.find((event) => event.step_id === starts[index]?.step_id);
        expect(text).toContain(stepEnd?.status ?? 'missing');
        expect(isRunning(text)).toBe(false);
      });
      // Nothing drawn twice: one plan card, one progress list, the closing message once.
      expect(await page.getByRole('region', { name: 'Plan approval' }).count()).toBe(1);
      expect(await page.getByRole('region', { name: 'Deployment progress' }).count()).toBe(1);
      const closing = stored.findLast((event) => event.type === 'message-end');
      if (closing?.type !== 'message-end') throw new Error('no closing message stored');
      const said = (name: string, text: string) =>
        chat.conversation.getByRole('article', { name }).filter({ hasText: text }).count();
      expect(await said('Assistant', closing.text)).toBe(1);
      expect(await chat.conversation.getByRole('article', { name: 'You said' }).count()).toBe(1);
      expect(await said('You said', `./${repo}`)).toBe(1);

      // The reloaded page resumed from the start: its socket got every stored event, each once, in order.
      const afterReload = frames.sockets.slice(socketsBefore).flat();
      const seqs = afterReload.flatMap((frame) => ('seq' in frame ? [frame.seq] : []));
      expect(seqs).toEqual(stored.map((event) => event.seq));
    } finally {
      release();
      await context.close();
    }
  });
});
