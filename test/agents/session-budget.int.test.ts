/** The product's assembly (createAgentApp): a session's model calls spend from the budget it reports. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AgentApp, createAgentApp } from '../../src/agents/create-agent-runtime.js';
import { loadSettings } from '../../src/config/settings.js';
import { SANDBOX_CREDENTIALS } from '../../src/sandbox/sandbox.js';
import { createAwsClientFactory } from '../../src/tools/aws/clients.js';
import { sandboxEndpoint } from '../helpers/tool-harness.js';

describe('session token budgets in the assembled product', () => {
  let app: AgentApp;
  beforeAll(async () => {
    const home = mkdtempSync(join(tmpdir(), 'aws-copilot-budget-'));
    const settings = loadSettings(
      { endpointUrl: sandboxEndpoint(), workspace: home, dataDir: join(home, 'data') },
      { env: {}, configPath: false },
    );
    const aws = createAwsClientFactory({ settings, credentials: SANDBOX_CREDENTIALS });
    app = await createAgentApp({ settings, aws, hasCredentials: async () => true });
  });
  afterAll(() => app.close());

  it('counts the model calls of a session in the budget budgetFor gives for it', async () => {
    const first = await app.sessions.send({ userId: 'ann', text: 'hello' });
    const used = app.runtime.budgetFor?.(first.sessionId)?.snapshot().input_used ?? 0;
    // Routing and the answer were both model calls of this session.
    expect(used).toBeGreaterThan(0);

    const other = await app.sessions.send({ userId: 'bob', text: 'hello' });
    expect(other.sessionId).not.toBe(first.sessionId);
    // Another session's calls do not count toward ann's budget.
    expect(app.runtime.budgetFor?.(first.sessionId)?.snapshot().input_used).toBe(used);
    expect(app.runtime.budgetFor?.(other.sessionId)?.snapshot().input_used).toBeGreaterThan(0);
  });
});
