/** deploy_lambda_repo runs with the package its preview built, and builds again when that is not safe. */
import { appendFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { GetFunctionCommand } from '@aws-sdk/client-lambda';
import { describe, expect, it } from 'vitest';
import { lambdaCodeSha256 } from '../../src/tools/aws/lambda-code.js';
import type { DeployLambdaRepoResult } from '../../src/tools/github/index.js';
import { BUILD_DIR } from '../../src/tools/github/repo-source.js';
import { expectOk } from '../helpers/envelopes.js';
import { uniqueName } from '../helpers/unique-name.js';
import { lambdaRepoSuite } from './lambda-repo-suite.js';
import { commitNewVersion, git } from './repo-fixtures.js';

describe('deploy_lambda_repo reuses the package of its preview', () => {
  const suite = lambdaRepoSuite('shop-reuse');
  const { harness } = suite;

  const argsFor = (name: string) => ({
    repo: suite.repo,
    function_name: name,
    role_arn: suite.role,
    runtime: 'python3.11',
  });
  /** The one settled package of a function in the build folder. */
  const packageOf = (name: string) => {
    const folder = join(harness.settings.workspace, BUILD_DIR);
    const found = readdirSync(folder).filter((entry) => entry.startsWith(`lambda-${name}-`));
    expect(found).toHaveLength(1);
    return join(folder, found[0] as string);
  };
  const deployedSha = async (name: string) =>
    (await harness.aws.lambda().send(new GetFunctionCommand({ FunctionName: name }))).Configuration
      ?.CodeSha256;

  it('uploads the very file the preview built when the commit is unchanged, without a second checkout', async () => {
    const name = uniqueName('shop-reuse');
    expect((await harness.preview('deploy_lambda_repo', argsFor(name))).status).toBe('ok');
    const previewed = packageOf(name);
    const previewedFile = statSync(previewed);

    const progress: string[] = [];
    const result = expectOk(
      await harness.approveAndRun<DeployLambdaRepoResult>('deploy_lambda_repo', argsFor(name), {
        onProgress: (line) => progress.push(line),
      }),
    );
    expect(result.commit_sha).toBe(git(join(harness.settings.workspace, suite.repo), 'rev-parse', 'HEAD'));
    expect(progress.some((line) => line.startsWith('checking out'))).toBe(false);
    expect(progress).toContainEqual(
      expect.stringMatching(/^using the package the dry run built from commit /),
    );
    expect(join(harness.settings.workspace, result.zip_file)).toBe(previewed);
    // Not written again: the same file (inode and modification time) the preview left.
    expect(statSync(previewed)).toMatchObject({ ino: previewedFile.ino, mtimeMs: previewedFile.mtimeMs });
    expect(await deployedSha(name)).toBe(await lambdaCodeSha256(previewed));
  }, 300_000);

  it('builds again when the previewed package changed on disk, and deploys the right bytes', async () => {
    const name = uniqueName('shop-tampered');
    expect((await harness.preview('deploy_lambda_repo', argsFor(name))).status).toBe('ok');
    const previewed = packageOf(name);
    const cleanSha = await lambdaCodeSha256(previewed);
    appendFileSync(previewed, 'not part of the package');

    const result = expectOk(
      await harness.approveAndRun<DeployLambdaRepoResult>('deploy_lambda_repo', argsFor(name)),
    );
    expect(result.code_sha256).toBe(cleanSha);
    expect(await lambdaCodeSha256(packageOf(name))).toBe(cleanSha);
    expect(await deployedSha(name)).toBe(cleanSha);
  }, 300_000);

  it('builds the new commit when one landed between the preview and the run', async () => {
    const name = uniqueName('shop-moved');
    expect((await harness.preview('deploy_lambda_repo', argsFor(name))).status).toBe('ok');
    const previewedSha = await lambdaCodeSha256(packageOf(name));
    const commit = commitNewVersion(harness, suite.repo, uniqueName('v'));

    const result = expectOk(
      await harness.approveAndRun<DeployLambdaRepoResult>('deploy_lambda_repo', argsFor(name)),
    );
    expect(result.commit_sha).toBe(commit);
    expect(result.code_sha256).not.toBe(previewedSha);
    expect(await deployedSha(name)).toBe(result.code_sha256);
  }, 300_000);

  it('reuses the package of a pinned commit or branch, and checks out when the branch is unknown', async () => {
    const name = uniqueName('shop-pinned');
    const dir = join(harness.settings.workspace, suite.repo);
    const commit = git(dir, 'rev-parse', 'HEAD');
    const branch = git(dir, 'rev-parse', '--abbrev-ref', 'HEAD');
    for (const pinned of [{ commit }, { branch }]) {
      const args = { ...argsFor(name), ...pinned };
      expect((await harness.preview('deploy_lambda_repo', args)).status).toBe('ok');
      const progress: string[] = [];
      const result = expectOk(
        await harness.approveAndRun<DeployLambdaRepoResult>('deploy_lambda_repo', args, {
          onProgress: (line) => progress.push(line),
        }),
      );
      expect(result.commit_sha).toBe(commit);
      expect(progress.some((line) => line.startsWith('checking out'))).toBe(false);
    }
    // A branch git cannot resolve here is left to the checkout, which names the problem.
    const missing = await harness.approveAndRun('deploy_lambda_repo', {
      ...argsFor(name),
      branch: 'no-such-branch',
    });
    expect(missing).toMatchObject({
      status: 'error',
      error: { message: expect.stringMatching(/no-such-branch/) },
    });
  }, 300_000);
});
