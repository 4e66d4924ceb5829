import { describe, expect, it } from 'vitest';
import { deriveClientToken, launchInput } from './ec2-launch-input.js';

const base = { instance_type: 't3.micro', ami_id: 'ami-0abcdef1234567890' };

describe('deriveClientToken', () => {
  it('is stable and ignores the order of tags and security groups', () => {
    const a = launchInput.parse({
      ...base,
      tags: { a: '1', b: '2' },
      security_group_ids: ['sg-11111111', 'sg-22222222'],
    });
    const b = launchInput.parse({
      ...base,
      tags: { b: '2', a: '1' },
      security_group_ids: ['sg-22222222', 'sg-11111111'],
    });
    expect(deriveClientToken(a, 'us-east-1')).toBe(deriveClientToken(b, 'us-east-1'));
    expect(deriveClientToken(a, 'us-east-1')).toMatch(/^aws-copilot-[0-9a-f]{40}$/);
    expect(deriveClientToken(a, 'us-east-1').length).toBeLessThanOrEqual(64);
  });

  it('changes with any argument that changes the instance, and with the region', () => {
    const token = deriveClientToken(launchInput.parse(base), 'us-east-1');
    expect(deriveClientToken(launchInput.parse(base), 'eu-west-1')).not.toBe(token);
    expect(
      deriveClientToken(launchInput.parse({ ...base, instance_type: 't3.small' }), 'us-east-1'),
    ).not.toBe(token);
    expect(deriveClientToken(launchInput.parse({ ...base, user_data: 'echo' }), 'us-east-1')).not.toBe(token);
  });
});

describe('launch_ec2 input', () => {
  it.each([
    't3.micro',
    'm7g.large',
    'c6i.2xlarge',
    'c7i-flex.large',
    'u-6tb1.metal',
    'mac2-m2pro.metal',
    'x2iedn.32xlarge',
    'm7i.metal-24xl',
  ])('accepts the instance type %s', (type) => {
    expect(launchInput.safeParse({ ...base, instance_type: type }).success).toBe(true);
  });

  it.each(['banana', 'T3.micro', 't3', 't3.huge', '.micro'])('rejects the instance type %s', (type) => {
    expect(launchInput.safeParse({ ...base, instance_type: type }).success).toBe(false);
  });

  it('accepts 8- and 17-digit AMI ids only', () => {
    expect(launchInput.safeParse({ ...base, ami_id: 'ami-12345678' }).success).toBe(true);
    expect(launchInput.safeParse({ ...base, ami_id: 'ami-123456789' }).success).toBe(false);
    expect(launchInput.safeParse({ ...base, ami_id: 'ami-ABCDEF12' }).success).toBe(false);
  });

  it('measures user_data in bytes and refuses reserved tag keys', () => {
    expect(launchInput.safeParse({ ...base, user_data: 'é'.repeat(8192) }).success).toBe(true);
    expect(launchInput.safeParse({ ...base, user_data: 'é'.repeat(8193) }).success).toBe(false);
    expect(launchInput.safeParse({ ...base, tags: { 'aws:cloudformation': 'x' } }).success).toBe(false);
  });

  it('accepts an instance profile by name or ARN', () => {
    expect(launchInput.safeParse({ ...base, iam_instance_profile: 'web-role' }).success).toBe(true);
    expect(
      launchInput.safeParse({
        ...base,
        iam_instance_profile: 'arn:aws:iam::123456789012:instance-profile/web',
      }).success,
    ).toBe(true);
    expect(launchInput.safeParse({ ...base, iam_instance_profile: 'has spaces' }).success).toBe(false);
  });
});
