/**
 * Runs one benchmark in a process of its own, for `bench/run.ts`: whatever an earlier benchmark
 * left behind in a process (a 700 MiB heap after the deploy conversations made the packager a fifth
 * slower) must not colour the next one's figures. The servers come from the parent by environment;
 * the result goes to the file named by --result, as JSON.
 */
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { POSTGRES_ENV, REGISTRY, SANDBOX_ENV } from './lib/registry.js';
import type { BenchContext } from './lib/result.js';
import type { Service } from './lib/services.js';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      id: { type: 'string' },
      work: { type: 'string' },
      result: { type: 'string' },
      quick: { type: 'boolean', default: false },
    },
  });
  const entry = REGISTRY.find((candidate) => candidate.id === values.id);
  if (!entry || !values.work || !values.result)
    throw new Error('usage: run-one.ts --id ID --work DIR --result FILE');
  const server = (name: string, service: Service) => {
    const value = process.env[name];
    if (!value)
      throw new Error(
        `benchmark ${entry.id} uses the ${service} server: add '${service}' to its needs in bench/lib/registry.ts`,
      );
    return value;
  };
  const context: BenchContext = {
    get sandboxEndpoint() {
      return server(SANDBOX_ENV, 'sandbox');
    },
    get postgresUrl() {
      return server(POSTGRES_ENV, 'postgres');
    },
    workDir: values.work,
    quick: values.quick,
    log: (line) => process.stderr.write(`[${entry.id}] ${line}\n`),
  };
  const { benchmark } = await entry.load();
  await writeFile(values.result, JSON.stringify(await benchmark(context)));
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(
      `[${process.argv.join(' ')}] failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
