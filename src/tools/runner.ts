/**
 * The only way anything calls a tool. In order: the tool exists, the role may use it, the input is
 * valid, a write has a person's approval, the concurrency cap and timeout hold; then the call runs
 * with every AWS request rate-limited and recorded, and the audit record is written, redacted.
 */
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { Settings } from '../config/settings.js';
import { CopilotError } from '../errors/copilot-error.js';
import type { Approval, ApprovalLedger } from '../guardrails/approvals.js';
import type { PolicyDecision } from '../guardrails/policy.js';
import { redactor } from '../guardrails/redaction.js';
import { parseKeepingSealed, type SecretSealer } from '../guardrails/sealed-values.js';
import type { PlanStep } from '../protocol/events.js';
import type { TelemetryBus } from '../telemetry/bus.js';
import { currentTelemetryScope } from '../telemetry/context.js';
import { logger as defaultLogger, type Logger } from '../telemetry/logger.js';
import type { AuditRecord, AuditSink } from './audit.js';
import { wrapAwsError } from './aws/aws-error.js';
import { type AwsCallRecord, type AwsClientFactory, withAwsCallScope } from './aws/clients.js';
import { argsForTool, parseArgs } from './call-args.js';
import { denyingRuleOf, type PolicyDependencies, type PolicyRequest, policyDecision } from './call-policy.js';
import { withTimeout } from './call-timeout.js';
import type {
  AnyTool,
  CompensationInput,
  CreatedResource,
  Risk,
  ToolContext,
  ToolPreview,
} from './define-tool.js';
import type { ToolEnvelope, ToolErrorBody } from './envelope.js';
import { fieldOf } from './field-error.js';
import { Semaphore } from './rate-limiter.js';
import type { ToolRegistry } from './registry.js';
import { resolveInWorkspace } from './workspace/paths.js';

export interface RoleGrant {
  name: string;
  /** Tool names this role may call. */
  tools: ReadonlySet<string>;
  /** Tools this role may only preview, never run (the planner previews every step of a plan). */
  previewTools?: ReadonlySet<string>;
}

function roleAllows(role: RoleGrant, tool: string, mode: 'run' | 'preview' | 'compensate'): boolean {
  return role.tools.has(tool) || (mode === 'preview' && Boolean(role.previewTools?.has(tool)));
}

export interface ToolCallRequest {
  tool: string;
  args: unknown;
  mode?: 'run' | 'preview';
  userId?: string;
  /** The agent role making the call; absent for a person at the CLI. */
  role?: RoleGrant;
  approval?: Approval;
  correlationId?: string;
  signal?: AbortSignal;
  onProgress?: (message: string) => void;
  /** A project folder inside the configured workspace that file tools treat as their root. */
  workspace?: string;
}

export interface CompensationRequest {
  tool: string;
  input: CompensationInput<unknown, unknown>;
  /** The approval under which the original call ran; rollback is part of what it allowed. */
  approval?: Approval;
  userId?: string;
  role?: RoleGrant;
  correlationId?: string;
  signal?: AbortSignal;
}

export interface ToolRunnerOptions {
  registry: ToolRegistry;
  settings: Settings;
  aws: AwsClientFactory;
  approvals: ApprovalLedger;
  audit: AuditSink;
  log?: Logger;
  /** Where tool-call telemetry goes outside a workflow (inside one, the workflow's bus). */
  telemetry?: TelemetryBus;
  /** Opens sealed form values for approved calls (the credential vault); without it such calls are refused. */
  sealedValues?: Pick<SecretSealer, 'unseal'>;
}

function errorBody(error: unknown): ToolErrorBody {
  const wrapped = wrapAwsError(error, 'AWS call');
  if (wrapped instanceof CopilotError) {
    const field = fieldOf(wrapped);
    return {
      code: wrapped.code,
      message: redactor.text(wrapped.message),
      retryable: wrapped.retryable,
      ...(wrapped.awsCode ? { aws_code: wrapped.awsCode } : {}),
      ...(wrapped.awsRequestId ? { aws_request_id: wrapped.awsRequestId } : {}),
      ...(field ? { field } : {}),
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'internal', message: redactor.text(message), retryable: false };
}

export class ToolRunner {
  private readonly semaphore: Semaphore;
  private readonly log: Logger;

  constructor(private readonly options: ToolRunnerOptions) {
    this.semaphore = new Semaphore(options.settings.toolConcurrency);
    this.log = options.log ?? defaultLogger;
  }

  get registry(): ToolRegistry {
    return this.options.registry;
  }

  /** Risk of one call: the tool's own class, raised by `riskOf` for dangerous arguments. */
  riskOf(toolName: string, args: unknown): Risk {
    const tool = this.options.registry.require(toolName);
    const parsed = parseKeepingSealed(tool.input as z.ZodType, args ?? {});
    return parsed.success && tool.riskOf ? tool.riskOf(parsed.data) : tool.risk;
  }

  /** The arguments an approval of this call must name: validated, defaults filled, secrets still sealed. */
  approvalArgs(toolName: string, args: unknown): unknown {
    return parseArgs(this.options.registry.require(toolName), args);
  }

  /**
   * The policy's decision on these steps (a plan, or one call), after reading the tags of the
   * existing resources they act on when a rule in force has a tag condition.
   */
  policyDecision(steps: PlanStep[], request: PolicyRequest): Promise<PolicyDecision> {
    return policyDecision(this.policyDependencies(), steps, request);
  }

  async call<R = unknown>(request: ToolCallRequest): Promise<ToolEnvelope<R>> {
    const mode = request.mode ?? 'run';
    return this.execute<R>(request.tool, mode, request, async (tool, args, context) => {
      if (mode === 'preview') {
        const preview = await tool.preview(args, context);
        return { result: preview as R, preview };
      }
      return { result: (await tool.run(args, context)) as R };
    });
  }

  /** Undoes a completed (or half-completed) call; part of the rollback of an approved plan. */
  async compensate(request: CompensationRequest): Promise<ToolEnvelope<string>> {
    return this.execute<string>(
      request.tool,
      'compensate',
      { ...request, args: request.input.args },
      async (tool, args, context) => {
        if (!tool.compensate) {
          const why = tool.irreversible ? 'its effect is irreversible' : 'it has no compensation';
          throw new CopilotError('conflict', `${tool.name} cannot be undone: ${why}`);
        }
        return { result: await tool.compensate({ ...request.input, args }, context) };
      },
    );
  }

  private async execute<R>(
    toolName: string,
    mode: 'run' | 'preview' | 'compensate',
    request: Omit<ToolCallRequest, 'tool' | 'mode'>,
    work: (
      tool: AnyTool,
      args: unknown,
      context: ToolContext,
    ) => Promise<{ result: R; preview?: ToolPreview }>,
  ): Promise<ToolEnvelope<R>> {
    const started = Date.now();
    const auditId = randomUUID();
    const userId = request.userId ?? 'local';
    const created: CreatedResource[] = [];
    const awsCalls: AwsCallRecord[] = [];
    let tool: AnyTool | undefined;
    let args: unknown = request.args;
    let risk: Risk = 'read';
    let outcome: AuditRecord['outcome'] = 'ok';
    let failure: ToolErrorBody | undefined;
    let result: R | undefined;
    let preview: ToolPreview | undefined;

    try {
      tool = this.options.registry.get(toolName);
      if (!tool)
        throw new CopilotError(
          'unknown_tool',
          `unknown tool '${toolName}'; run 'aws-copilot tools list' to see the catalog`,
        );
      risk = tool.risk;
      if (request.role && !roleAllows(request.role, tool.name, mode)) {
        throw new CopilotError('role_denied', `role '${request.role.name}' may not ${mode} ${tool.name}`);
      }
      args = parseArgs(tool, request.args);
      risk = tool.riskOf ? tool.riskOf(args) : tool.risk;
      if (mode === 'run') await this.checkPolicy(tool, args, risk, request);
      const approved = this.options.approvals.covers(request.approval, { tool: tool.name, args });
      // A compensation undoes an approved call, so it needs the approval of that very call.
      if (mode !== 'preview' && (risk !== 'read' || mode === 'compensate') && !approved) {
        throw new CopilotError(
          'approval_required',
          `${tool.name} is a ${risk} action and needs a person's approval of this exact call before it runs`,
        );
      }
      const boundTool = tool;
      const boundArgs = await argsForTool(tool, mode, request.args, args, {
        userId,
        approved,
        sealer: this.options.sealedValues,
      });
      const output = await this.semaphore.use(() =>
        withTimeout(this.options.settings.toolTimeoutMs, request.signal, (signal) => {
          const context = this.context(userId, signal, created, request.onProgress, request.workspace);
          return withAwsCallScope({ userId, signal, calls: awsCalls }, () =>
            work(boundTool, boundArgs, context),
          );
        }),
      );
      result = output.result;
      preview = output.preview;
    } catch (error) {
      failure = errorBody(error);
      outcome = ['role_denied', 'approval_required', 'policy_denied'].includes(failure.code)
        ? 'denied'
        : 'error';
      if (outcome === 'denied')
        this.log.warn({ tool: toolName, role: request.role?.name, code: failure.code }, 'tool call refused');
    }

    const scope = currentTelemetryScope();
    const correlationId = request.correlationId ?? scope?.correlationId ?? undefined;
    await this.options.audit.write({
      id: auditId,
      at: new Date(started).toISOString(),
      userId,
      tool: toolName,
      mode,
      risk,
      ...(request.role ? { role: request.role.name } : {}),
      ...(correlationId ? { correlationId } : {}),
      ...(scope?.sessionId ? { sessionId: scope.sessionId } : {}),
      args: redactor.value(args),
      resourceIds: this.resourceIds(tool, args, result, created),
      awsCalls,
      durationMs: Date.now() - started,
      outcome,
      ...(failure ? { errorCode: failure.aws_code ?? failure.code } : {}),
      ...(request.approval ? { approvalId: request.approval.id } : {}),
      ...(request.approval?.planHash ? { planHash: request.approval.planHash } : {}),
    });

    await (scope?.bus ?? this.options.telemetry)?.publish({
      kind: 'tool-call',
      session_id: scope?.sessionId ?? null,
      correlation_id: scope?.correlationId ?? correlationId ?? null,
      agent: request.role?.name ?? 'person',
      phase: toolName,
      status: outcome,
      latency_ms: Date.now() - started,
      error_code: failure ? (failure.aws_code ?? failure.code) : null,
      attributes: { mode, risk, audit_id: auditId, ...(scope ? { node: scope.phase } : {}) },
    });
    if (failure)
      return { status: 'error', action: toolName, mode, error: failure, created, audit_id: auditId };
    return {
      status: 'ok',
      action: toolName,
      mode,
      result: result as R,
      ...(preview ? { preview } : {}),
      created,
      audit_id: auditId,
    };
  }

  private policyDependencies(): PolicyDependencies {
    const { registry, aws, settings, audit } = this.options;
    return { registry, aws, settings, audit };
  }

  /** The policy's deny rules hold for every call, whatever approval comes with it. */
  private async checkPolicy(
    tool: AnyTool,
    args: unknown,
    risk: Risk,
    request: Omit<ToolCallRequest, 'tool' | 'mode'>,
  ): Promise<void> {
    const rule = await denyingRuleOf(
      this.policyDependencies(),
      { id: 'call', tool: tool.name, args: (args ?? {}) as Record<string, unknown>, risk, description: '' },
      {
        ...(request.userId ? { userId: request.userId } : {}),
        ...(request.role ? { role: request.role.name } : {}),
        ...(request.correlationId ? { correlationId: request.correlationId } : {}),
        ...(request.signal ? { signal: request.signal } : {}),
      },
    );
    if (rule) {
      throw new CopilotError(
        'policy_denied',
        `${tool.name} is denied by the policy (${rule.reasonCode}, rule ${rule.id}): ${rule.reason}`,
      );
    }
  }

  private context(
    userId: string,
    signal: AbortSignal,
    created: CreatedResource[],
    onProgress: ((message: string) => void) | undefined,
    workspace: string | undefined,
  ): ToolContext {
    const { settings, aws } = this.options;
    return {
      // The person's own AWS credentials when they stored some, else the server's.
      aws: aws.forUser(userId),
      settings,
      // A narrower root, never a wider one: the folder must resolve inside the configured workspace.
      workspace: workspace
        ? resolveInWorkspace(settings.workspace, workspace, 'workspace')
        : settings.workspace,
      signal,
      userId,
      log: this.log,
      created: (resource) => {
        created.push(resource);
      },
      progress: (message) => onProgress?.(redactor.text(message)),
    };
  }

  private resourceIds(
    tool: AnyTool | undefined,
    args: unknown,
    result: unknown,
    created: CreatedResource[],
  ): string[] {
    const ids = new Set(created.map((resource) => resource.id));
    if (tool?.resourceIds && args !== undefined) {
      try {
        for (const id of tool.resourceIds(args, result)) ids.add(id);
      } catch {
        // Resource ids are best effort: an odd result must not hide the audit record.
      }
    }
    return [...ids];
  }
}
