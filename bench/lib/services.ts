/**
 * The servers a benchmark run needs, started once and only when a selected benchmark needs them:
 * the local AWS emulator (the same one `aws-copilot sandbox` runs) and a throwaway PostgreSQL
 * cluster (the test suite's helper: initdb in a temp folder, apt-installs PostgreSQL if missing).
 */
import { type Sandbox, startSandbox } from '../../src/sandbox/sandbox.js';
import { type PostgresServer, startPostgresServer } from '../../test/helpers/services/postgres-server.js';

export type Service = 'sandbox' | 'postgres';

export interface RunningServices {
  sandboxEndpoint?: string;
  postgresUrl?: string;
  stop(): Promise<void>;
}

export async function startServices(
  needed: ReadonlySet<Service>,
  log: (line: string) => void,
): Promise<RunningServices> {
  let sandbox: Sandbox | undefined;
  let postgres: PostgresServer | undefined;
  const stop = async () => {
    await Promise.allSettled([sandbox?.stop(), postgres?.stop()]);
  };
  const starting: Array<Promise<unknown>> = [];
  if (needed.has('sandbox')) {
    starting.push(
      startSandbox({ onProgress: (line) => log(`[sandbox] ${line}`) }).then((started) => {
        sandbox = started;
        log(`[sandbox] listening on ${started.endpointUrl}`);
      }),
    );
  }
  if (needed.has('postgres')) {
    starting.push(
      startPostgresServer().then((started) => {
        postgres = started;
        log('[postgres] ready');
      }),
    );
  }
  const outcomes = await Promise.allSettled(starting);
  const failed = outcomes.find((outcome) => outcome.status === 'rejected');
  if (failed) {
    // One server up and the other not: stop the one that started before giving up.
    await stop();
    throw (failed as PromiseRejectedResult).reason;
  }
  return {
    ...(sandbox ? { sandboxEndpoint: sandbox.endpointUrl } : {}),
    ...(postgres ? { postgresUrl: postgres.url } : {}),
    stop,
  };
}
