/**
 * The set-up the deploy_lambda_repo suites share: a tool harness on the sandbox, a Lambda
 * execution role, and the sample app committed as a workspace repository, closed after the suite.
 */
import { afterAll, beforeAll } from 'vitest';
import { createExecutionRole } from '../aws/lambda-fixtures.js';
import { createToolHarness, type ToolHarness } from '../helpers/tool-harness.js';
import { makeShopRepo } from './repo-fixtures.js';

export interface LambdaRepoSuite {
  harness: ToolHarness;
  /** The execution role's ARN (set before the first test). */
  readonly role: string;
  /** The workspace-relative repository of the sample app (set before the first test). */
  readonly repo: string;
}

export function lambdaRepoSuite(repoName: string): LambdaRepoSuite {
  const harness = createToolHarness();
  let role = '';
  let repo = '';
  afterAll(() => harness.close());
  beforeAll(async () => {
    role = await createExecutionRole();
    repo = makeShopRepo(harness, repoName);
  });
  return {
    harness,
    get role() {
      return role;
    },
    get repo() {
      return repo;
    },
  };
}
