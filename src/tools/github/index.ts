/** The repo deployer family: check a repository out, package it deterministically, deploy it to Lambda or EC2. */
import type { AnyTool } from '../define-tool.js';
import { deployEc2Repo } from './deploy-ec2-repo.js';
import { deployLambdaRepo } from './deploy-lambda-repo.js';

export { type DeployEc2RepoResult, deployEc2Repo } from './deploy-ec2-repo.js';
export { type DeployLambdaRepoResult, deployLambdaRepo } from './deploy-lambda-repo.js';

export const GITHUB_TOOLS: AnyTool[] = [deployLambdaRepo, deployEc2Repo];
