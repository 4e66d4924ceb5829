import { describe, expect, it } from 'vitest';
import { loadSettings } from '../../config/settings.js';
import { SANDBOX_CREDENTIALS } from '../../sandbox/sandbox.js';
import { createAwsClientFactory, MAX_CACHED_CLIENTS } from './clients.js';

const settings = loadSettings(
  { region: 'us-east-1', endpointUrl: 'http://127.0.0.1:9' },
  { env: {}, configPath: false },
);

describe('AWS client cache', () => {
  it('keeps one client per person, service and region, and forgets the least recently used', () => {
    const people = createAwsClientFactory({ settings, credentials: SANDBOX_CREDENTIALS }).withUserCredentials(
      async () => undefined,
    );
    const first = people.forUser('ann').s3();
    expect(people.forUser('ann').s3()).toBe(first);
    expect(people.forUser('bob').s3()).not.toBe(first);
    expect(people.forUser('ann').s3('eu-west-1')).not.toBe(first);

    const busy = people.forUser('busy').lambda();
    for (let index = 0; index < MAX_CACHED_CLIENTS; index += 1) {
      people.forUser(`person-${index}`).s3();
      // Used all along: never the least recently used one.
      if (index % 100 === 0) expect(people.forUser('busy').lambda()).toBe(busy);
    }
    expect(people.forUser('busy').lambda()).toBe(busy);
    // Unused since the start: dropped, and built again when needed.
    expect(people.forUser('ann').s3()).not.toBe(first);
    people.destroy();
  });
});
