/** The one result shape every tool call returns, whatever the tool and whatever went wrong. */
import type { CreatedResource, ToolPreview } from './define-tool.js';

export interface ToolErrorBody {
  code: string;
  message: string;
  retryable: boolean;
  /** The AWS error code, kept as AWS spelled it. */
  aws_code?: string;
  aws_request_id?: string;
  /** Path of the offending input field, for invalid input. */
  field?: string;
}

export type ToolEnvelope<R = unknown> =
  | {
      status: 'ok';
      action: string;
      mode: 'run' | 'preview' | 'compensate';
      result: R;
      preview?: ToolPreview;
      created: CreatedResource[];
      audit_id: string;
    }
  | {
      status: 'error';
      action: string;
      mode: 'run' | 'preview' | 'compensate';
      error: ToolErrorBody;
      created: CreatedResource[];
      audit_id: string;
    };
