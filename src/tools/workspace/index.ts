/** The workspace family: read the project and run its local builds; nothing here touches AWS. */
import type { AnyTool } from '../define-tool.js';
import { pnpmClient } from './pnpm-client.js';
import { repoReader } from './repo-reader.js';
import { shellRunner } from './shell-runner.js';
import { uvClient } from './uv-client.js';

export { pnpmClient, repoReader, shellRunner, uvClient };

export const WORKSPACE_TOOLS: AnyTool[] = [repoReader, shellRunner, pnpmClient, uvClient];
