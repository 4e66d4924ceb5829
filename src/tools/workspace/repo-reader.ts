/** repo_reader: read a text file or list a folder of the workspace, never outside it and never a secret file. */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { z } from 'zod';
import { redactor } from '../../guardrails/redaction.js';
import { defineTool, readOnlyPreview, type ToolContext } from '../define-tool.js';
import { type FieldError, fieldError } from '../field-error.js';
import { workspaceDirectory, workspaceRelative } from './directories.js';
import { resolveInWorkspace } from './paths.js';
import { type DirectoryEntry, LIST_LIMIT, listDirectory } from './repo-listing.js';
import { isSecretFile } from './secret-files.js';

const DEFAULT_MAX_BYTES = 256 * 1024;
const MAX_MAX_BYTES = 4 * 1024 * 1024;
/** Bytes inspected for NUL to tell binary files from text, as git does. */
const BINARY_SNIFF_BYTES = 8000;

const readFileInput = z.strictObject({
  operation: z.literal('read_file'),
  path: z
    .string()
    .min(1)
    .describe('File to read, relative to the workspace root (e.g. backend/app/main.py).'),
  max_bytes: z
    .int()
    .min(1)
    .max(MAX_MAX_BYTES, `max_bytes: at most ${MAX_MAX_BYTES} (4 MiB)`)
    .default(DEFAULT_MAX_BYTES)
    .describe('Bytes returned at most; longer files come back truncated. Default 256 KiB.'),
});

const listDirInput = z.strictObject({
  operation: z.literal('list_dir'),
  path: z
    .string()
    .min(1)
    .default('.')
    .describe('Folder to list, relative to the workspace root; default the root.'),
  depth: z
    .int()
    .min(1, 'depth: 1 to 6')
    .max(6, 'depth: 1 to 6')
    .default(2)
    .describe('Levels to descend: 1 lists the folder itself, up to 6. Default 2.'),
});

const repoReaderInput = z.discriminatedUnion('operation', [readFileInput, listDirInput]);

export interface ReadFileResult {
  path: string;
  content: string;
  /** The file is longer than max_bytes and only its start is returned. */
  truncated: boolean;
  /** Size of the whole file in bytes. */
  size: number;
  /** Something that looked like a credential was masked with `***`. */
  redacted: boolean;
}

export interface ListDirResult {
  path: string;
  entries: DirectoryEntry[];
  truncated: boolean;
}

function refused(code: 'invalid_input' | 'workspace_violation' | 'not_found', message: string): FieldError {
  return fieldError(code, 'path', message);
}

/** Drops a multi-byte UTF-8 character cut in half at the end of a truncated read. */
function wholeCharacters(bytes: Buffer): Buffer {
  let start = bytes.length - 1;
  while (start >= 0 && bytes.length - start <= 4 && ((bytes[start] ?? 0) & 0xc0) === 0x80) start--;
  const lead = bytes[start];
  if (start < 0 || lead === undefined || lead < 0xc0) return bytes;
  const needed = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : 2;
  return bytes.length - start < needed ? bytes.subarray(0, start) : bytes;
}

function readHead(path: string, length: number): Buffer {
  const buffer = Buffer.alloc(length);
  const descriptor = openSync(path, 'r');
  try {
    let filled = 0;
    while (filled < length) {
      const read = readSync(descriptor, buffer, filled, length - filled, filled);
      if (read === 0) break;
      filled += read;
    }
    return buffer.subarray(0, filled);
  } finally {
    closeSync(descriptor);
  }
}

function readFile(args: z.infer<typeof readFileInput>, context: ToolContext): ReadFileResult {
  const absolute = resolveInWorkspace(context.workspace, args.path, 'path');
  if (isSecretFile(args.path) || isSecretFile(absolute)) {
    throw refused(
      'workspace_violation',
      `path: '${args.path}' holds secrets (.env, keys, registry or cloud credentials); repo_reader lists such ` +
        'files but never returns their content, so credentials stay out of prompts and transcripts. ' +
        'Read a template such as .env.example instead, or ask the person for the values you need.',
    );
  }
  const stats = statSync(absolute, { throwIfNoEntry: false });
  if (!stats) throw refused('not_found', `path: '${args.path}' does not exist in the workspace`);
  if (stats.isDirectory())
    throw refused('invalid_input', `path: '${args.path}' is a folder; use operation 'list_dir' for folders`);
  if (!stats.isFile()) throw refused('invalid_input', `path: '${args.path}' is not a regular file`);

  const bytes = readHead(absolute, Math.min(stats.size, args.max_bytes));
  if (bytes.subarray(0, BINARY_SNIFF_BYTES).includes(0)) {
    throw refused(
      'invalid_input',
      `path: '${args.path}' is a binary file (${stats.size} bytes); repo_reader returns text files only`,
    );
  }
  const truncated = stats.size > bytes.length;
  const text = (truncated ? wholeCharacters(bytes) : bytes).toString('utf8');
  const content = redactor.text(text);
  return {
    path: workspaceRelative(context, absolute),
    content,
    truncated,
    size: stats.size,
    redacted: content !== text,
  };
}

function listDir(args: z.infer<typeof listDirInput>, context: ToolContext): ListDirResult {
  const start = workspaceDirectory(context, args.path, 'path');
  const listing = listDirectory(context.workspace, start, args.depth);
  return { path: workspaceRelative(context, start), ...listing };
}

export const repoReader = defineTool({
  name: 'repo_reader',
  description:
    "Read a text file (operation 'read_file') or list a folder (operation 'list_dir') of the project " +
    'workspace; paths outside the workspace and files holding secrets (.env, keys) are refused.',
  input: repoReaderInput,
  risk: 'read',
  iam: [],
  idempotent: true,
  preview: async (args) =>
    readOnlyPreview(
      args.operation === 'read_file'
        ? `read ${args.path} (at most ${args.max_bytes} bytes)`
        : `list ${args.path} ${args.depth} level(s) deep (at most ${LIST_LIMIT} entries)`,
    ),
  run: async (args, context): Promise<ReadFileResult | ListDirResult> =>
    args.operation === 'read_file' ? readFile(args, context) : listDir(args, context),
  resourceIds: (args) => [`workspace:${args.path}`],
});
