/** Installs a missing Debian package for the test suite when it can (root with apt-get), else says how. */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/**
 * Every apt-get of ours holds this lock: vitest runs started side by side (and their workers) install
 * one package at a time instead of failing on dpkg's lock. apt still waits for anyone else's dpkg.
 */
const APT_LOCK = '/tmp/aws-copilot-apt.lock';
const APT_WAIT = ['-o', 'DPkg::Lock::Timeout=600'];

let updated = false;

function apt(args: string[]): void {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const command = existsSync('/usr/bin/flock') ? 'flock' : 'apt-get';
  const commandArgs =
    command === 'flock' ? [APT_LOCK, 'apt-get', ...APT_WAIT, ...args] : [...APT_WAIT, ...args];
  execFileSync(command, commandArgs, { stdio: 'inherit', env });
}

export function ensureDebianPackage(packageName: string, present: () => boolean, purpose: string): void {
  if (present()) return;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot || !existsSync('/usr/bin/apt-get')) {
    throw new Error(
      `${purpose} needs the ${packageName} package: install it (e.g. sudo apt-get install ${packageName}) and run the tests again`,
    );
  }
  process.stderr.write(`[test services] installing ${packageName} for ${purpose} ...\n`);
  try {
    if (!updated) {
      apt(['update', '-qq']);
      updated = true;
    }
    apt(['install', '-y', '-qq', '--no-install-recommends', packageName]);
  } catch (error) {
    throw new Error(
      `installing the Debian package ${packageName} for ${purpose} failed (apt-get update && apt-get install ${packageName}; is the Debian registry reachable?): ${(error as Error).message}`,
      { cause: error },
    );
  }
  if (!present()) throw new Error(`${packageName} was installed but ${purpose} still cannot find it`);
}
