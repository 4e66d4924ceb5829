/**
 * Approvals of write and destructive calls. Only this ledger can issue one, and only code that
 * heard a person say yes (a CLI confirmation, a UI click) calls `grant`; an approval object built
 * anywhere else, by a model or from JSON, is not in the ledger and is refused by the runner.
 */
import { createHash, randomUUID } from 'node:crypto';

export interface ApprovedCall {
  tool: string;
  args: unknown;
}

export interface Approval {
  readonly id: string;
  /** Who said yes (a user id), and through which channel. */
  readonly grantedBy: string;
  readonly channel: 'cli-flag' | 'cli-prompt' | 'ui' | 'mcp-elicitation' | 'chat';
  readonly grantedAt: string;
  /** Plan hash when the approval covers a whole plan. */
  readonly planHash?: string;
  /** Hashes of the exact calls approved. */
  readonly callHashes: readonly string[];
}

/** Canonical JSON: keys sorted, so the same call always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, item]) => item !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
}

export function hashCall(call: ApprovedCall): string {
  return createHash('sha256')
    .update(canonicalJson({ tool: call.tool, args: call.args }))
    .digest('hex');
}

export class ApprovalLedger {
  private readonly issued = new WeakSet<Approval>();

  /** Records that a person approved exactly these calls. */
  grant(input: {
    grantedBy: string;
    channel: Approval['channel'];
    calls: ApprovedCall[];
    planHash?: string;
  }): Approval {
    const approval: Approval = Object.freeze({
      id: randomUUID(),
      grantedBy: input.grantedBy,
      channel: input.channel,
      grantedAt: new Date().toISOString(),
      ...(input.planHash ? { planHash: input.planHash } : {}),
      callHashes: Object.freeze(input.calls.map(hashCall)),
    });
    this.issued.add(approval);
    return approval;
  }

  /** True only for approvals this ledger issued that name this exact call. */
  covers(approval: Approval | undefined, call: ApprovedCall): boolean {
    if (!approval || !this.issued.has(approval)) return false;
    return approval.callHashes.includes(hashCall(call));
  }
}
