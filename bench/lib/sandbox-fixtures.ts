/** What the deploy conversations need in the sandbox and the workspace: an execution role, the sample app. */
import { createLambdaExecutionRole } from '../../test/aws/execution-role.js';
import { makeShopRepo } from '../../test/github/repo-fixtures.js';
import { uniqueName } from '../../test/helpers/unique-name.js';

/** Every run deploys under names no earlier run used. */
export const freshName = uniqueName;

/** The emulator refuses a function whose role does not exist; one role serves every repetition. */
export function createExecutionRole(endpoint: string): Promise<string> {
  return createLambdaExecutionRole(endpoint, freshName('bench-lambda'));
}

/** A fresh git repository of examples/shop in the workspace, named `name` (the app and function name follow it). */
export function shopRepo(workspace: string, name: string): string {
  return makeShopRepo({ settings: { workspace } }, name);
}
