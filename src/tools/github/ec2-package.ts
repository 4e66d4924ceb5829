/**
 * The package deploy_ec2_repo ships: the backend folder as git tracks it plus the built frontend
 * (`frontend/dist`) when the repository has one, at their repository paths, without dependencies
 * (the instance installs them). Also: finding the instances a package already runs on.
 */

import { createHash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { findInstances, GONE_STATES, type InstanceSummary } from '../aws/ec2-shared.js';
import type { ToolContext } from '../define-tool.js';
import type { Checkout } from './checkout.js';
import { selectFiles } from './file-selection.js';
import { type PackageResult, underPrefix, writeDeterministicZip } from './package-zip.js';
import { pendingZipPath, settlePackage, sourceFolder } from './repo-source.js';

/** Where a Vite (or similar) build lands, relative to the repository root. */
export const FRONTEND_DIST = 'frontend/dist';
export const APP_TAG = 'aws-copilot:app';
export const SHA_TAG = 'aws-copilot:artifact-sha256';

export interface Ec2Package extends PackageResult {
  /** The package, relative to the workspace. */
  zip_file: string;
  frontend_included: boolean;
}

export async function buildEc2Package(
  appName: string,
  sourceDir: string,
  checkout: Checkout,
  context: ToolContext,
): Promise<Ec2Package> {
  const backend = await selectFiles(await sourceFolder(checkout, sourceDir), {
    mode: checkout.git ? 'git' : 'gitignore',
    signal: context.signal,
  });
  const entries = underPrefix(backend, sourceDir === '.' ? '' : sourceDir);
  const dist = join(checkout.dir, FRONTEND_DIST);
  const withFrontend = existsSync(dist) && statSync(dist).isDirectory();
  if (withFrontend) {
    // Build output is usually git-ignored, so it is taken whole (secrets still left out).
    const files = await selectFiles(dist, { mode: 'all', signal: context.signal });
    const taken = new Set(entries.map((entry) => entry.path));
    entries.push(...underPrefix(files, FRONTEND_DIST).filter((entry) => !taken.has(entry.path)));
  }
  const stem = `ec2-${appName}`;
  const result = await writeDeterministicZip(entries, pendingZipPath(stem, context));
  const zipFile = await settlePackage(result, stem, context);
  context.progress(`packaged ${result.files} files (${result.bytes} bytes), sha256 ${result.sha256_hex}`);
  return { ...result, zip_file: zipFile, frontend_included: withFrontend };
}

export interface AppInstances {
  /** A pending or running instance already started from this package. */
  current?: InstanceSummary;
  /** Instances of this package that were terminated: each spent one client token. */
  spent: number;
  /** Live instances of the same app running other packages. */
  others: InstanceSummary[];
}

/** The app's instances, from one DescribeInstances call filtered on the app tag. */
export async function appInstances(
  appName: string,
  sha256: string,
  region: string,
  context: ToolContext,
): Promise<AppInstances> {
  const { instances } = await findInstances(context, region, [{ Name: `tag:${APP_TAG}`, Values: [appName] }]);
  const same = instances.filter((instance) => instance.tags[SHA_TAG] === sha256);
  const alive = (instance: InstanceSummary) => instance.state === 'pending' || instance.state === 'running';
  return {
    ...(same.find(alive) ? { current: same.find(alive) } : {}),
    spent: same.filter((instance) => GONE_STATES.has(instance.state)).length,
    others: instances.filter((instance) => instance.tags[SHA_TAG] !== sha256 && alive(instance)),
  };
}

/**
 * EC2 idempotency token for launching this package: the same app and package give the same token,
 * so a retried step never starts a second instance; after an instance of it was terminated (a
 * rollback) the next launch gets a fresh token, since EC2 would answer a spent one with the dead instance.
 */
export function packageClientToken(appName: string, sha256: string, region: string, spent: number): string {
  const digest = createHash('sha256').update(`${region}\n${appName}\n${sha256}\n${spent}`).digest('hex');
  return `aws-copilot-${digest.slice(0, 40)}`;
}

/** Where the app answers, when the instance has an address. */
export function healthUrl(
  instance: { public_dns?: string; public_ip?: string; private_ip?: string },
  port: number,
  path: string,
) {
  const host = instance.public_dns || instance.public_ip || instance.private_ip;
  return host ? `http://${host}:${port}${path}` : undefined;
}
