import { describe, expect, it } from 'vitest';
import { acceptTargetFields, findName, namesMentioned } from './ecs-target.js';

describe('ECS target', () => {
  it('keeps valid fields as plain names and drops the rest', () => {
    expect(
      acceptTargetFields({
        cluster: 'arn:aws:ecs:us-east-1:123456789012:cluster/shop-prod',
        service: 'has spaces',
        region: 'eu-west-1',
      }),
    ).toEqual({ cluster: 'shop-prod', region: 'eu-west-1' });
  });

  it('a word of the request points at a name; generic words point at nothing', () => {
    const services = ['shop-api', 'shop-worker', 'billing-service'];
    expect(namesMentioned(services, 'My API service is slow')).toEqual(['shop-api']);
    expect(namesMentioned(services, 'the shop is down')).toEqual(['shop-api', 'shop-worker']);
    expect(namesMentioned(services, 'my service is down')).toEqual([]);
  });

  it('finds a name exactly, then ignoring case', () => {
    expect(findName(['Api', 'web'], 'api')).toBe('Api');
    expect(findName(['api'], 'slow')).toBeUndefined();
  });
});
