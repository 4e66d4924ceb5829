/** AWS regions in a request: codes ("eu-west-1"), spaced codes ("us east 1") and place names ("Frankfurt"). */
import type { Token } from './text.js';

/** Place names people use for regions, lower case, longest first when matched. */
const PLACES: Array<[string, string]> = [
  ['n. virginia', 'us-east-1'],
  ['n virginia', 'us-east-1'],
  ['northern virginia', 'us-east-1'],
  ['north virginia', 'us-east-1'],
  ['virginia', 'us-east-1'],
  ['ohio', 'us-east-2'],
  ['n. california', 'us-west-1'],
  ['n california', 'us-west-1'],
  ['northern california', 'us-west-1'],
  ['california', 'us-west-1'],
  ['oregon', 'us-west-2'],
  ['ireland', 'eu-west-1'],
  ['dublin', 'eu-west-1'],
  ['london', 'eu-west-2'],
  ['paris', 'eu-west-3'],
  ['frankfurt', 'eu-central-1'],
  ['germany', 'eu-central-1'],
  ['zurich', 'eu-central-2'],
  ['stockholm', 'eu-north-1'],
  ['milan', 'eu-south-1'],
  ['spain', 'eu-south-2'],
  ['tokyo', 'ap-northeast-1'],
  ['japan', 'ap-northeast-1'],
  ['seoul', 'ap-northeast-2'],
  ['osaka', 'ap-northeast-3'],
  ['singapore', 'ap-southeast-1'],
  ['sydney', 'ap-southeast-2'],
  ['australia', 'ap-southeast-2'],
  ['jakarta', 'ap-southeast-3'],
  ['melbourne', 'ap-southeast-4'],
  ['malaysia', 'ap-southeast-5'],
  ['thailand', 'ap-southeast-7'],
  ['bangkok', 'ap-southeast-7'],
  ['mumbai', 'ap-south-1'],
  ['india', 'ap-south-1'],
  ['hyderabad', 'ap-south-2'],
  ['hong kong', 'ap-east-1'],
  ['taipei', 'ap-east-2'],
  ['montreal', 'ca-central-1'],
  ['canada central', 'ca-central-1'],
  ['canada', 'ca-central-1'],
  ['calgary', 'ca-west-1'],
  ['sao paulo', 'sa-east-1'],
  ['são paulo', 'sa-east-1'],
  ['brazil', 'sa-east-1'],
  ['cape town', 'af-south-1'],
  ['bahrain', 'me-south-1'],
  ['uae', 'me-central-1'],
  ['tel aviv', 'il-central-1'],
  ['israel', 'il-central-1'],
  ['mexico', 'mx-central-1'],
  ['beijing', 'cn-north-1'],
  ['ningxia', 'cn-northwest-1'],
];

const AREAS = '(us-gov|us|eu|ap|sa|ca|me|af|il|mx|cn)';
const DIRECTIONS = '(east|west|north|south|central|northeast|southeast|northwest|southwest)';
/** "us-east-1", "us east 1", "US-East-1", "useast1". */
const CODE = new RegExp(`\\b${AREAS}[\\s-]?${DIRECTIONS}[\\s-]?(\\d{1,2})\\b`, 'gi');
/** "US East" without a number means the first region of that name. */
const BARE_AREA = /\b(us)[\s-](east|west)\b(?![\s-]?\d)/gi;

export interface RegionMention {
  region: string;
  start: number;
  end: number;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const PLACE_PATTERNS = PLACES.map(
  ([place, region]) => [new RegExp(`(?<![\\w-])${escapeRegExp(place)}(?![\\w-])`, 'gi'), region] as const,
);

/** Every region a text names, in order of appearance. */
export function findRegions(text: string): RegionMention[] {
  const found: RegionMention[] = [];
  const taken = (start: number, end: number) => found.some((m) => start < m.end && end > m.start);
  for (const match of text.matchAll(CODE)) {
    const [whole, area = '', direction = '', number = ''] = match;
    const start = match.index ?? 0;
    // Part of a longer name (`my-us-east-1-bucket`) is not a region mention.
    const before = text[start - 1] ?? ' ';
    const after = text[start + whole.length] ?? ' ';
    // Part of a longer token (`my-us-east-1-bucket`, an ECR host, an ARN) is not a region mention.
    if (/[\w]/.test(before) || (/[-.:/]/.test(before) && /\w/.test(text[start - 2] ?? ''))) continue;
    if (/[-.:/]/.test(after) && /\w/.test(text[start + whole.length + 1] ?? '')) continue;
    found.push({
      region: `${area.toLowerCase()}-${direction.toLowerCase()}-${number}`,
      start,
      end: start + whole.length,
    });
  }
  for (const [pattern, region] of PLACE_PATTERNS) {
    for (const match of text.matchAll(pattern)) {
      const start = match.index ?? 0;
      const end = start + match[0].length;
      if (!taken(start, end)) found.push({ region, start, end });
    }
  }
  for (const match of text.matchAll(BARE_AREA)) {
    const start = match.index ?? 0;
    const end = start + match[0].length;
    const direction = (match[2] ?? '').toLowerCase();
    if (!taken(start, end))
      found.push({ region: direction === 'east' ? 'us-east-1' : 'us-west-2', start, end });
  }
  return found.sort((a, b) => a.start - b.start);
}

/** True when a token lies inside one of the region mentions. */
export function inRegion(token: Pick<Token, 'start' | 'end'>, regions: RegionMention[]): boolean {
  return regions.some((region) => token.start < region.end && token.end > region.start);
}
