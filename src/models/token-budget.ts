/** The token budget of one session (spec: 80k input / 40k output by default, 120k / 60k at most), with per-deployment totals. */
import { CopilotError } from '../errors/copilot-error.js';
import { TOKEN_CEILING } from './model-settings.js';

/** Tokens one model call consumed, in LangChain's `usage_metadata` names. */
export interface TokenUsage {
  input_tokens: number;
  output_tokens: number;
}

export interface UsageTotals {
  input_used: number;
  output_used: number;
}

export interface BudgetSnapshot extends UsageTotals {
  input_limit: number;
  output_limit: number;
  /** Input tokens of calls that are under way and not yet recorded. */
  input_reserved: number;
  /** Totals per deployment id, for calls made while a deployment was tagged. */
  deployments: Record<string, UsageTotals>;
}

/** A claim on the input budget made before a call; settled by `record` or `release`. */
export interface BudgetReservation {
  readonly inputTokens: number;
  /** The deployment the call belongs to, fixed when the call starts. */
  readonly deploymentId: string | undefined;
}

export interface TokenBudgetLimits {
  inputLimit: number;
  outputLimit: number;
  /** Below this share of either budget left, `isTight()` says to use the economy model (default 0.2). */
  tightRatio?: number;
}

const format = (tokens: number) => tokens.toLocaleString('en-US');

function checkLimit(limit: number, ceiling: number, variable: string): void {
  if (!Number.isInteger(limit) || limit <= 0)
    throw new CopilotError(
      'config_invalid',
      `${variable} must be a positive whole number of tokens, got ${limit}`,
    );
  if (limit > ceiling)
    throw new CopilotError(
      'config_invalid',
      `${variable} is ${format(limit)} tokens, above the hard ceiling of ${format(ceiling)} per session: set it to ${format(ceiling)} or less`,
    );
}

export class TokenBudget {
  readonly inputLimit: number;
  readonly outputLimit: number;
  readonly tightRatio: number;
  #inputUsed = 0;
  #outputUsed = 0;
  #reserved = new Set<BudgetReservation>();
  #deployments = new Map<string, UsageTotals>();
  #deploymentId: string | undefined;

  constructor(limits: TokenBudgetLimits) {
    checkLimit(limits.inputLimit, TOKEN_CEILING.input, 'AWS_COPILOT_INPUT_TOKEN_BUDGET');
    checkLimit(limits.outputLimit, TOKEN_CEILING.output, 'AWS_COPILOT_OUTPUT_TOKEN_BUDGET');
    this.inputLimit = limits.inputLimit;
    this.outputLimit = limits.outputLimit;
    this.tightRatio = limits.tightRatio ?? 0.2;
  }

  /** A budget with the limits of the resolved model settings. */
  static fromSettings(settings: { inputTokenBudget: number; outputTokenBudget: number }): TokenBudget {
    return new TokenBudget({
      inputLimit: settings.inputTokenBudget,
      outputLimit: settings.outputTokenBudget,
    });
  }

  /** Tags the calls that start from now on with a deployment id (undefined: no deployment). */
  setDeployment(deploymentId: string | undefined): void {
    this.#deploymentId = deploymentId;
  }

  get deploymentId(): string | undefined {
    return this.#deploymentId;
  }

  get #inputReserved(): number {
    let total = 0;
    for (const reservation of this.#reserved) total += reservation.inputTokens;
    return total;
  }

  /** Claims input tokens before a call; refuses, before anything is sent, a call the session cannot afford. */
  reserve(inputTokens: number): BudgetReservation {
    if (this.#outputUsed >= this.outputLimit)
      throw new CopilotError(
        'budget_exceeded',
        `model call refused: this session has used all ${format(this.outputLimit)} output tokens. ` +
          `Start a new session, or raise AWS_COPILOT_OUTPUT_TOKEN_BUDGET (at most ${format(TOKEN_CEILING.output)}).`,
      );
    const left = this.inputLimit - this.#inputUsed - this.#inputReserved;
    if (inputTokens > left)
      throw new CopilotError(
        'budget_exceeded',
        `model call refused: it needs about ${format(inputTokens)} input tokens but this session has ` +
          `${format(Math.max(0, left))} of ${format(this.inputLimit)} left (${format(this.#inputUsed)} used). ` +
          `Start a new session, or raise AWS_COPILOT_INPUT_TOKEN_BUDGET (at most ${format(TOKEN_CEILING.input)}).`,
      );
    const reservation: BudgetReservation = { inputTokens, deploymentId: this.#deploymentId };
    this.#reserved.add(reservation);
    return reservation;
  }

  /** Gives back a reservation whose call sent nothing billable (it failed before an answer). */
  release(reservation: BudgetReservation): void {
    this.#reserved.delete(reservation);
  }

  /** Adds what a call consumed; settles its reservation when given one. */
  record(usage: TokenUsage, reservation?: BudgetReservation): void {
    if (reservation) this.#reserved.delete(reservation);
    const input = Math.max(0, Math.round(usage.input_tokens));
    const output = Math.max(0, Math.round(usage.output_tokens));
    this.#inputUsed += input;
    this.#outputUsed += output;
    const deploymentId = reservation ? reservation.deploymentId : this.#deploymentId;
    if (deploymentId === undefined) return;
    const totals = this.#deployments.get(deploymentId) ?? { input_used: 0, output_used: 0 };
    totals.input_used += input;
    totals.output_used += output;
    this.#deployments.set(deploymentId, totals);
  }

  /** Totals so far: per session, and per deployment for the calls tagged with one. */
  snapshot(): BudgetSnapshot {
    return {
      input_used: this.#inputUsed,
      output_used: this.#outputUsed,
      input_limit: this.inputLimit,
      output_limit: this.outputLimit,
      input_reserved: this.#inputReserved,
      deployments: Object.fromEntries(
        [...this.#deployments].map(([id, totals]) => [id, { ...totals }] as const),
      ),
    };
  }

  /** True when less than `tightRatio` of either budget is left: time for the cheaper model. */
  isTight(): boolean {
    const inputLeft = this.inputLimit - this.#inputUsed - this.#inputReserved;
    const outputLeft = this.outputLimit - this.#outputUsed;
    return inputLeft < this.inputLimit * this.tightRatio || outputLeft < this.outputLimit * this.tightRatio;
  }
}
