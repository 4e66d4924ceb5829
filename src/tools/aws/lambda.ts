/** The Lambda tool family: deploy a zip-packaged function, update its code, invoke it. */
import type { AnyTool } from '../define-tool.js';
import { deployLambda } from './lambda-deploy.js';
import { invokeLambda } from './lambda-invoke.js';
import { getLambdaFunction } from './lambda-read.js';
import { updateLambdaCode } from './lambda-update-code.js';

export { type DeployLambdaResult, deployLambda } from './lambda-deploy.js';
export { type InvokeLambdaResult, invokeLambda } from './lambda-invoke.js';
export { getLambdaFunction } from './lambda-read.js';
export { type UpdateLambdaCodeResult, updateLambdaCode } from './lambda-update-code.js';

export const LAMBDA_TOOLS: AnyTool[] = [deployLambda, updateLambdaCode, invokeLambda, getLambdaFunction];
