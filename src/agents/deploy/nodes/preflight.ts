/**
 * Preflight (Planning & Validation agent): builds the frontend, byte-compiles the backend and
 * proves the AWS credentials work, all through the runner with the planner's role.
 */
import { observedNode } from '../../node-runner.js';
import { ROLES } from '../../roles.js';
import { type AgentRuntime, runtimeOf, sessionContextOf } from '../../runtime.js';
import type { DeployStateType, DeployUpdate } from '../state.js';

interface CommandResult {
  exit_code: number;
  stdout: string;
  stderr: string;
}

async function check(
  runtime: AgentRuntime,
  userId: string,
  projectDir: string,
  tool: string,
  args: Record<string, unknown>,
): Promise<string | undefined> {
  const envelope = await runtime.runner.call<CommandResult>({
    tool,
    args,
    role: ROLES.planner,
    userId,
    workspace: projectDir,
  });
  if (envelope.status === 'error') return `${tool} ${JSON.stringify(args)} failed: ${envelope.error.message}`;
  if (envelope.result.exit_code !== 0) {
    const output = `${envelope.result.stderr}\n${envelope.result.stdout}`
      .trim()
      .split('\n')
      .slice(-12)
      .join('\n');
    return `${tool} ${JSON.stringify(args)} exited with ${envelope.result.exit_code}:\n${output}`;
  }
  return undefined;
}

export const preflightNode = observedNode(
  'preflight',
  'planning-validation',
  async (state: DeployStateType, config): Promise<DeployUpdate> => {
    const runtime = runtimeOf(config);
    const { userId } = sessionContextOf(config);
    const projectDir = state.projectDir as string;
    // The frontend build, the backend compile and the credential check need nothing from each
    // other: they run side by side, and the person waits for the slowest instead of the sum.
    const frontend = async (): Promise<string | undefined> => {
      if (!state.context?.hasFrontend) return undefined;
      // The lockfile decides the versions: a build here must match what CI and the person get.
      const install = await check(runtime, userId, projectDir, 'pnpm_client', {
        args: ['install', '--frozen-lockfile'],
      });
      return (
        install ??
        check(runtime, userId, projectDir, 'pnpm_client', { args: ['run', 'build', '--mode', 'development'] })
      );
    };
    const backend = async () =>
      state.context?.hasBackend
        ? check(runtime, userId, projectDir, 'shell_runner', {
            command: ['python3', '-m', 'compileall', '-q', 'backend'],
          })
        : undefined;
    const [built, compiled, identity] = await Promise.all([
      frontend(),
      backend(),
      runtime.runner.call<{ account: string }>({
        tool: 'get_caller_identity',
        args: { region: state.request.region },
        role: ROLES.planner,
        userId,
      }),
    ]);
    const problems = [built, compiled].filter((problem): problem is string => problem !== undefined);
    if (identity.status === 'error')
      problems.push(`the AWS credentials do not work: ${identity.error.message}`);
    if (problems.length > 0) {
      return {
        problem: `Preflight checks failed, so nothing was planned or changed:\n- ${problems.join('\n- ')}`,
        outcome: 'failed',
      };
    }
    return { account: identity.status === 'ok' ? identity.result.account : undefined, problem: undefined };
  },
);
