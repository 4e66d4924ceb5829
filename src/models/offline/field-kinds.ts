/**
 * What a schema field expects, read from the schema alone: its kind (region, enum, number, path,
 * name...), the words that introduce its value in a sentence ("cluster", "named"), and for paths
 * which side of a transfer it sits on.
 */
import { conceptKind, conceptsOfWords } from './lexicon.js';
import { isStopWord, stem } from './text.js';
import { type FieldSpec, type JsonSchema, primaryType } from './tool-spec.js';

export type FieldKind =
  | 'region'
  | 'enum'
  | 'enum-list'
  | 'boolean'
  | 'number'
  | 'time'
  | 'map'
  | 'json'
  | 'objects'
  | 'argv'
  | 'distinct'
  | 'distinct-list'
  | 'url'
  | 'path'
  | 'name'
  | 'name-list'
  | 'text'
  | 'secret';

/** Kinds whose value is a word or path found through cue words. */
export const STRING_KINDS = new Set<FieldKind>(['name', 'name-list', 'path', 'url', 'secret']);

export interface FieldInfo {
  field: FieldSpec;
  kind: FieldKind;
  /** Phrases (as stem lists) that introduce the value: `[['cluster']]`, `[['log','group'],['group']]`. */
  cues: string[][];
  /** Weaker hints: the description's head noun ("page" for error_document), "in" for a working folder. */
  weakCues: string[][];
  /** Stems of the meaningful words of the field's name: `['log', 'group']` for log_group_name. */
  namePhrase: string[];
  /** Stem of the description's first word, a word that describes rather than names a value ("error page 404.html"). */
  head?: string;
  /** Compiled `pattern` of the value (or of its items), when the schema has one. */
  pattern?: RegExp;
  /** For paths: local (workspace) or remote (object key); for transfers the direction. */
  side?: 'local' | 'remote';
  direction?: 'source' | 'dest';
  /** Concepts of the field's name and description, for numbers and flags. */
  concepts: string[];
}

/** Name words that say what kind of value a field holds rather than what it is about. */
const GENERIC_WORDS = new Set(['name', 'names', 'id', 'ids', 'arn', 'arns', 'type', 'value', 'values', 's3']);

/** Words that are spelled differently in a request than in a field name. */
const CUE_SYNONYMS: Record<string, string[]> = {
  function: ['lambda', 'fn'],
  dir: ['folder', 'directory'],
  folder: ['dir', 'directory'],
  service: ['svc'],
  app: ['application'],
  repo: ['repository'],
  object: ['key', 'file'],
  qualifier: ['version', 'alias'],
  path: ['file', 'folder', 'directory', 'dir'],
  task: ['job'],
  key: ['key pair', 'keypair', 'ssh key'],
  instance: ['server', 'vm', 'machine'],
  family: ['task definition', 'taskdef', 'task def'],
  definition: ['taskdef', 'task def', 'family', 'revision'],
  cwd: ['working directory', 'working dir', 'folder', 'directory'],
  project: ['folder', 'directory'],
  staging: ['stage'],
  error: ['404'],
  stream: ['log stream'],
  group: ['log group'],
  image: ['container image', 'docker image'],
  zip: ['archive', 'package', 'bundle'],
  filter: ['pattern', 'matching', 'containing', 'mentioning', 'for'],
  reason: ['because'],
  commit: ['sha', 'revision'],
  protocol: [],
};

/** Fields holding free text (a sentence, a pattern, a script) rather than one word. */
const TEXT_NAMES = /(^|_)(reason|description|message|comment|pattern|user_data|data|script|note)$/;

/** Values that look like sample words: a pattern rejecting all of them describes a distinctive format. */
const PLAIN_WORDS = [
  'web',
  'prod',
  'shop-api',
  'my_service',
  'hello',
  'index.html',
  'backend',
  'app.handler',
  'Main',
];

export function compilePattern(pattern: string | undefined): RegExp | undefined {
  if (!pattern) return undefined;
  try {
    return new RegExp(pattern, 'u');
  } catch {
    try {
      return new RegExp(pattern);
    } catch {
      return undefined;
    }
  }
}

export function isDistinctive(pattern: RegExp | undefined): boolean {
  return pattern !== undefined && PLAIN_WORDS.every((word) => !pattern.test(word));
}

function words(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/**
 * Cue phrases: the whole name and its endings ("instance profile", "profile"), the first word of
 * a two-word name ("file" of file_path), and their usual synonyms.
 */
export function cuesOf(name: string, parentWords: string[] = []): string[][] {
  const nameWords = words(name).filter((word) => !GENERIC_WORDS.has(word));
  const base = nameWords.length > 0 ? nameWords : parentWords;
  const phrases: string[][] = [];
  const add = (phrase: string) => {
    const stems = phrase.split(/\s+/).map(stem);
    if (!phrases.some((existing) => existing.join(' ') === stems.join(' '))) phrases.push(stems);
  };
  const included = base.map((_, start) => base.slice(start));
  if (base.length === 2 && base[0]) included.push([base[0]]);
  for (const phrase of included) {
    add(phrase.join(' '));
    if (phrase.length === 1) for (const synonym of CUE_SYNONYMS[phrase[0] ?? ''] ?? []) add(synonym);
  }
  return phrases.sort((a, b) => b.length - a.length);
}

/** The description's first word when it names the thing ("page served for errors"), as a weak cue. */
function headCue(field: FieldSpec, cues: string[][]): string[][] {
  const head = /^([A-Za-z]+)\b/.exec(field.schema.description ?? '')?.[1]?.toLowerCase();
  if (!head || GENERIC_WORDS.has(head) || isStopWord({ stem: stem(head) })) return [];
  const kinds = conceptsOfWords([head]).map(conceptKind);
  if (kinds.some((kind) => kind === 'verb' || kind === 'symptom')) return [];
  if (cues.some((cue) => cue.length === 1 && cue[0] === stem(head))) return [];
  return [[stem(head)]];
}

/** "in backend" names the folder a command runs in. */
function folderCues(field: FieldSpec, kind: FieldKind): string[][] {
  const isFolder = kind === 'path' && /(^|_)(dir|cwd|folder)($|_)/.test(field.name);
  return isFolder ? [['in'], ['inside']] : [];
}

function isStringMap(schema: JsonSchema): boolean {
  const extra = schema.additionalProperties;
  return primaryType(schema) === 'object' && typeof extra === 'object' && primaryType(extra) === 'string';
}

function isJsonAny(schema: JsonSchema): boolean {
  const options = schema.anyOf ?? schema.oneOf;
  if (options && options.length >= 3) return true;
  return schema.type === undefined && schema.enum === undefined && schema.$ref !== undefined;
}

function kindOf(field: FieldSpec, pattern: RegExp | undefined): FieldKind {
  const { name, schema } = field;
  const description = schema.description ?? '';
  const type = primaryType(schema);
  if (name === 'region' || /\bAWS region\b/i.test(description)) return 'region';
  if (/^secret\b/i.test(description) || /token|password|secret/.test(name)) return 'secret';
  if (schema.enum && schema.enum.length > 1) return 'enum';
  if (Array.isArray(schema.type) && /ISO 8601|epoch/i.test(description)) return 'time';
  if (type === 'boolean') return 'boolean';
  if (type === 'integer' || type === 'number') return 'number';
  if (isStringMap(schema)) return 'map';
  if (isJsonAny(schema)) return 'json';
  if (type === 'array') {
    const items = schema.items ?? {};
    if (items.enum && items.enum.length > 0) return 'enum-list';
    if (primaryType(items) === 'object') return 'objects';
    if (/\bargv\b|\barguments\b|\bcommand\b/i.test(`${name} ${description}`)) return 'argv';
    return isDistinctive(pattern) ? 'distinct-list' : 'name-list';
  }
  if (type === 'object') return 'json';
  if (isDistinctive(pattern)) return 'distinct';
  if (name === 'repo' || /\bgit repository\b|\bURL\b/i.test(description)) return 'url';
  if (TEXT_NAMES.test(name)) return 'text';
  if (/(^|_)(path|dir|file|key|prefix|folder|document|cwd)($|_)/.test(name) && !/_name$/.test(name))
    return 'path';
  if (/^(path|folder|file|directory|object key|built site folder|destination path)\b/i.test(description))
    return 'path';
  return 'name';
}

function sideOf(field: FieldSpec): 'local' | 'remote' {
  const text = `${field.name} ${field.schema.description ?? ''}`.toLowerCase();
  if (/workspace|local|destination path|folder/.test(text)) return 'local';
  return /\bkey\b|object|prefix|bucket/.test(text) ? 'remote' : 'local';
}

export function describeField(field: FieldSpec, parentWords: string[] = []): FieldInfo {
  const raw = field.schema.pattern ?? field.schema.items?.pattern;
  const pattern = compilePattern(raw);
  const kind = kindOf(field, pattern);
  const descriptionWords = words(field.schema.description ?? '').slice(0, 8);
  const cues = cuesOf(field.name, parentWords);
  const nameWords = words(field.name).filter((word) => !GENERIC_WORDS.has(word));
  const info: FieldInfo = {
    field,
    kind,
    cues,
    weakCues: [...headCue(field, cues), ...folderCues(field, kind)],
    namePhrase: (nameWords.length > 0 ? nameWords : parentWords).map(stem),
    concepts: conceptsOfWords([...words(field.name), ...descriptionWords]),
  };
  const head = /^([A-Za-z]+)\b/.exec(field.schema.description ?? '')?.[1];
  if (head) info.head = stem(head);
  if (pattern) info.pattern = pattern;
  if (kind === 'path') {
    info.side = sideOf(field);
    if (/destination/i.test(field.schema.description ?? '')) info.direction = 'dest';
  }
  return info;
}

function singles(cues: string[][]): Set<string> {
  return new Set(cues.filter((cue) => cue.length === 1).map((cue) => cue[0] ?? ''));
}

/**
 * A single cue word two fields share ("log" of log_group_name and log_stream_name) names neither,
 * unless it is the whole name of one of them ("app" of app_name, not of asgi_app). A weak cue
 * gives way to any other field's cue.
 */
export function dropSharedCues(infos: FieldInfo[]): void {
  const owners = new Map<string, FieldInfo[]>();
  for (const info of infos) {
    for (const word of singles(info.cues)) owners.set(word, [...(owners.get(word) ?? []), info]);
  }
  for (const info of infos) {
    info.cues = info.cues.filter((cue) => {
      const fields = owners.get(cue[0] ?? '') ?? [];
      if (cue.length > 1 || fields.length < 2) return true;
      const whole = fields.filter((owner) => owner.namePhrase.join(' ') === cue[0]);
      return whole.length === 1 && whole[0] === info;
    });
  }
  const strong = new Set(infos.flatMap((info) => [...singles(info.cues)]));
  const weakCounts = new Map<string, number>();
  for (const info of infos)
    for (const word of singles(info.weakCues)) weakCounts.set(word, (weakCounts.get(word) ?? 0) + 1);
  for (const info of infos) {
    info.weakCues = info.weakCues.filter(
      (cue) => cue.length > 1 || (!strong.has(cue[0] ?? '') && (weakCounts.get(cue[0] ?? '') ?? 0) < 2),
    );
  }
}

/** Stems of the words of a description, for matching enum explanations and flags. */
export function descriptionStems(schema: JsonSchema): string[] {
  return words(schema.description ?? '').map(stem);
}
