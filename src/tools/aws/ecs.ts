/** Placeholder: this family's tools are being written. */
import type { AnyTool } from '../define-tool.js';

export const ECS_TOOLS: AnyTool[] = [];
