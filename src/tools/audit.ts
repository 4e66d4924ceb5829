/** The audit trail port: one record per tool call, tying every AWS request to the approval behind it. */
import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { AwsCallRecord } from './aws/clients.js';
import type { Risk } from './define-tool.js';

export interface AuditRecord {
  id: string;
  at: string;
  userId: string;
  tool: string;
  mode: 'run' | 'preview' | 'compensate';
  risk: Risk;
  role?: string;
  correlationId?: string;
  /** The chat session the call was made in, when it was made by a workflow. */
  sessionId?: string;
  /** Arguments with secrets masked. */
  args: unknown;
  resourceIds: string[];
  awsCalls: AwsCallRecord[];
  durationMs: number;
  outcome: 'ok' | 'error' | 'denied';
  errorCode?: string;
  approvalId?: string;
  planHash?: string;
}

export interface AuditSink {
  /** Persists one record; must not throw for ordinary I/O trouble (the call already happened). */
  write(record: AuditRecord): Promise<void>;
}

/** Keeps records in memory; tests read them back. */
export class MemoryAuditSink implements AuditSink {
  readonly records: AuditRecord[] = [];
  async write(record: AuditRecord): Promise<void> {
    this.records.push(record);
  }
}

/** Appends JSON lines to a file (the CLI's audit log until the store takes over). */
export class JsonlAuditSink implements AuditSink {
  constructor(private readonly path: string) {}
  async write(record: AuditRecord): Promise<void> {
    try {
      await mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
      await appendFile(this.path, `${JSON.stringify(record)}\n`, { mode: 0o600 });
    } catch {
      // An unwritable audit log must not turn a finished AWS call into a reported failure.
    }
  }
}

/** Writes every record to `first` and, when given, to `second` (the JSON lines file and the store). */
export function teeAudit(first: AuditSink, second: AuditSink | undefined): AuditSink {
  if (!second) return first;
  return {
    write: async (record) => {
      await first.write(record);
      await second.write(record);
    },
  };
}
