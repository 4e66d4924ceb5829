/**
 * Paths and S3 locations: `s3://bucket/key` fills a bucket and a key field; loose paths go to
 * the path field on the matching side of a transfer ("upload A to B", "download A into B").
 */
import type { PathMention } from './entities.js';
import { claim, type ExtractState, isClaimed } from './extract-state.js';
import type { FieldInfo } from './field-kinds.js';

function isBucketField(info: FieldInfo): boolean {
  return info.kind === 'name' && info.cues.some((cue) => cue.length === 1 && cue[0] === 'bucket');
}

function isRemotePath(info: FieldInfo): boolean {
  return info.kind === 'path' && info.side === 'remote';
}

function localFile(state: ExtractState): PathMention | undefined {
  return state.mentions.paths.find((path) => path.isFile);
}

export function fillS3Uris(infos: FieldInfo[], state: ExtractState): void {
  for (const uri of state.mentions.s3Uris) {
    if (isClaimed(state, uri.token)) continue;
    const bucket = infos.find((info) => isBucketField(info) && !(info.field.name in state.args));
    const key = infos.find((info) => isRemotePath(info) && !(info.field.name in state.args));
    if (!bucket && !key) continue;
    if (bucket && uri.bucket) {
      state.args[bucket.field.name] = uri.bucket;
      state.strength[bucket.field.name] = 3.5;
    }
    if (key && uri.key) {
      const file = localFile(state);
      const isObjectKey = !/prefix/.test(key.field.name);
      const fileName = file?.value.split('/').at(-1);
      const value = uri.key.endsWith('/') && isObjectKey && fileName ? `${uri.key}${fileName}` : uri.key;
      state.args[key.field.name] = value;
      state.strength[key.field.name] = 3.5;
    }
    claim(state, [uri.token]);
  }
}

type Direction = 'source' | 'dest';

/** Which end of a transfer each path field is: the side that is "uploaded" is the source. */
function directionsOf(fields: FieldInfo[]): Map<FieldInfo, Direction | undefined> {
  const directions = new Map<FieldInfo, Direction | undefined>();
  const sending = fields.find((info) =>
    /\b(upload|send|publish)\b/i.test(info.field.schema.description ?? ''),
  );
  const receiving = fields.find((info) => info.direction === 'dest');
  const sides = new Set(fields.map((info) => info.side));
  // Only a tool that moves something between a local and a remote side has a direction.
  for (const info of fields) {
    let direction: Direction | undefined = info.direction;
    if (!direction && sides.size > 1) {
      if (sending) direction = info.side === sending.side ? 'source' : 'dest';
      else if (receiving) direction = info.side === receiving.side ? 'dest' : 'source';
    }
    directions.set(info, direction);
  }
  return directions;
}

function mentionDirection(state: ExtractState, mention: PathMention): Direction | undefined {
  const tokens = state.mentions.tokens;
  for (let back = 1; back <= 2; back++) {
    const before = tokens[mention.token.index - back];
    if (!before || before.boundaryAfter) return undefined;
    if (['to', 'into', 'as', 'at', 'onto', 'under', 'in'].includes(before.lower)) return 'dest';
    if (before.lower === 'from') return 'source';
  }
  return undefined;
}

/** Whether a path fits a field: a zip field wants a .zip, a folder field a folder, a file field a file. */
function fits(info: FieldInfo, mention: PathMention): boolean {
  const about = `${info.field.name} ${info.field.schema.description ?? ''}`.toLowerCase();
  if (/\bzip\b/.test(about)) return /\.zip$/i.test(mention.value);
  if (info.kind === 'url') return !mention.isFile;
  if (/(^|_)(dir|folder|cwd)($|_)|\bfolder\b/.test(info.field.name)) return !mention.isFile;
  if (/^(built site folder|folder)/i.test(info.field.schema.description ?? '')) return !mention.isFile;
  return true;
}

export function fillPaths(infos: FieldInfo[], state: ExtractState): void {
  const fields = infos.filter((info) => info.kind === 'path' && info.field.name !== 'cwd');
  const folderRepo = infos.filter(
    (info) => info.kind === 'url' && /\b(folder|path)\b/i.test(info.field.schema.description ?? ''),
  );
  const directions = directionsOf(fields);
  const open = (info: FieldInfo) => !(info.field.name in state.args);
  for (const mention of state.mentions.paths) {
    if (isClaimed(state, mention.token)) continue;
    const wanted = mentionDirection(state, mention);
    const choices = [...fields, ...folderRepo]
      .filter((info) => open(info) && fits(info, mention))
      .sort(
        (a, b) =>
          Number(b.field.required) - Number(a.field.required) ||
          Number(a.side === 'remote') - Number(b.side === 'remote'),
      );
    const target =
      choices.find((info) => wanted !== undefined && directions.get(info) === wanted) ??
      choices.find((info) => wanted === undefined && directions.get(info) !== 'dest') ??
      choices.find((info) => directions.get(info) === undefined);
    if (!target) continue;
    state.args[target.field.name] = mention.value;
    state.strength[target.field.name] = 2.5;
    claim(state, [mention.token]);
  }
}
