/** The AWS regions aws-copilot accepts, so a typo fails before any call instead of hanging on DNS. */
import { z } from 'zod';
import type { ToolContext } from '../define-tool.js';

export const AWS_REGIONS = [
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'af-south-1',
  'ap-east-1',
  'ap-east-2',
  'ap-south-1',
  'ap-south-2',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-southeast-3',
  'ap-southeast-4',
  'ap-southeast-5',
  'ap-southeast-7',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ca-central-1',
  'ca-west-1',
  'eu-central-1',
  'eu-central-2',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'eu-south-1',
  'eu-south-2',
  'eu-north-1',
  'il-central-1',
  'me-south-1',
  'me-central-1',
  'mx-central-1',
  'sa-east-1',
  'us-gov-east-1',
  'us-gov-west-1',
  'cn-north-1',
  'cn-northwest-1',
] as const;

const known = new Set<string>(AWS_REGIONS);

/** Extra region names accepted (new regions before this list learns them), from AWS_COPILOT_EXTRA_REGIONS. */
function extraRegions(): Set<string> {
  const raw = process.env.AWS_COPILOT_EXTRA_REGIONS ?? '';
  return new Set(
    raw
      .split(',')
      .map((region) => region.trim())
      .filter(Boolean),
  );
}

export function isKnownRegion(region: string): boolean {
  return known.has(region) || extraRegions().has(region);
}

export const regionSchema = z
  .string()
  .describe('AWS region, e.g. us-east-1')
  .refine(isKnownRegion, {
    error: (issue) =>
      `unknown AWS region '${String(issue.input)}'; use a region code such as us-east-1, eu-west-1 or ap-southeast-2 (set AWS_COPILOT_EXTRA_REGIONS to allow a region this version does not know)`,
  });

/** The region a tool call works in: the one it names, else the configured default. */
export function regionOf(args: { region?: string | undefined }, context: ToolContext): string {
  return args.region ?? context.aws.defaultRegion;
}
