/** Installs a missing Debian package for the test suite when it can (root with apt-get), else says how. */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

let updated = false;

export function ensureDebianPackage(packageName: string, present: () => boolean, purpose: string): void {
  if (present()) return;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot || !existsSync('/usr/bin/apt-get')) {
    throw new Error(
      `${purpose} needs the ${packageName} package: install it (e.g. sudo apt-get install ${packageName}) and run the tests again`,
    );
  }
  process.stderr.write(`[test services] installing ${packageName} for ${purpose} ...\n`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (!updated) {
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    updated = true;
  }
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', packageName], {
    stdio: 'inherit',
    env,
  });
  if (!present()) throw new Error(`${packageName} was installed but ${purpose} still cannot find it`);
}
