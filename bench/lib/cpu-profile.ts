/**
 * Where the time goes, for a benchmark that misses its target: runs a Node command under
 * `--cpu-prof` and sums the profile's self time by function and by package.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface ProfileSummary {
  totalMs: number;
  /** Heaviest first: `12.3 ms  functionName package/file.js:40`. */
  functions: string[];
  packages: string[];
}

/** The package a frame belongs to: an npm package, one of our folders, or Node's own internals. */
function ownerOf(url: string, functionName: string): string {
  const dependency = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
  if (dependency) return dependency[1] as string;
  const ours = url.match(/\/(?:src|dist|bench)\/([^/]+)\//);
  if (ours) return `ours: ${ours[1]}`;
  if (url.startsWith('node:')) return url.replace(/^node:internal\//, 'node internals: ');
  return url || functionName;
}

function top(totals: Map<string, number>, count: number): string[] {
  return [...totals]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, micros]) => `${(micros / 1000).toFixed(1)} ms  ${name}`);
}

export function summarizeProfile(profile: CpuProfile, count = 8): ProfileSummary {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const functions = new Map<string, number>();
  const packages = new Map<string, number>();
  profile.samples.forEach((id, index) => {
    const frame = nodes.get(id)?.callFrame;
    if (!frame) return;
    const micros = profile.timeDeltas[index] ?? 0;
    const file = frame.url
      .replace(/^.*node_modules\//, '')
      .replace(/^file:\/\/.*\/(src|dist|bench)\//, '$1/');
    const name = `${frame.functionName || '(anonymous)'} ${file}:${frame.lineNumber + 1}`;
    functions.set(name, (functions.get(name) ?? 0) + micros);
    const owner = ownerOf(frame.url, frame.functionName);
    packages.set(owner, (packages.get(owner) ?? 0) + micros);
  });
  return {
    totalMs: Math.round((profile.endTime - profile.startTime) / 1000),
    functions: top(functions, count),
    packages: top(packages, count),
  };
}

/** Runs `node --cpu-prof <args>` in `cwd` and summarizes the profile it writes. */
export async function profileNodeCommand(args: string[], cwd: string): Promise<ProfileSummary> {
  const directory = await mkdtemp(join(tmpdir(), 'aws-copilot-profile-'));
  try {
    await promisify(execFile)(
      process.execPath,
      ['--cpu-prof', `--cpu-prof-dir=${directory}`, '--cpu-prof-interval=250', ...args],
      { cwd, maxBuffer: 64 * 1024 * 1024 },
    );
    const [file] = (await readdir(directory)).filter((name) => name.endsWith('.cpuprofile'));
    if (!file) throw new Error(`node --cpu-prof ${args.join(' ')} wrote no profile`);
    return summarizeProfile(JSON.parse(await readFile(join(directory, file), 'utf8')) as CpuProfile);
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

/** One note line: the heaviest packages and functions by self time. */
export function profileNote(what: string, summary: ProfileSummary): string {
  return (
    `profile of ${what} (${summary.totalMs} ms, self time): by package ${summary.packages.join('; ')}` +
    ` — by function ${summary.functions.slice(0, 5).join('; ')}`
  );
}
