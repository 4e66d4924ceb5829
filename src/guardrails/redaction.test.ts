import { afterEach, describe, expect, it, vi } from 'vitest';
import { createRedactor, MASK } from './redaction.js';

const SECRETS = {
  accessKeyId: 'AKIAQWERTYUIOPASDFGH',
  secretKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYz9EXAMPLE1',
  githubClassic: `ghp_${'a1B2c3D4e5'.repeat(4)}`,
  githubFine: `github_pat_11ABCDEFG0${'x'.repeat(60)}`,
  privateKey: '-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----',
};

describe('redactor', () => {
  afterEach(() => {
    vi.useRealTimers();
  });
  const redactor = createRedactor();

  it('masks every known secret shape inside free text', () => {
    const text = `key ${SECRETS.accessKeyId} secret ${SECRETS.secretKey} gh ${SECRETS.githubClassic} ${SECRETS.githubFine}\n${SECRETS.privateKey}`;
    const output = redactor.text(text);
    for (const secret of Object.values(SECRETS)) expect(output).not.toContain(secret);
    expect(output).toContain(MASK);
  });

  it('masks STS session tokens standing on their own', () => {
    const token = `IQoJb3JpZ2luX2VjEJr${'A1b2C3d4'.repeat(10)}`;
    expect(redactor.text(`token ${token} done`)).toBe(`token ${MASK} done`);
  });

  it('masks passwords in URLs but keeps the rest of the URL', () => {
    expect(redactor.text('clone https://bob:hunter2hunter2@git.example.com/x.git')).toBe(
      `clone https://bob:${MASK}@git.example.com/x.git`,
    );
  });

  it('masks values under secret-named keys and assignments', () => {
    const value = redactor.value({
      password: 'p',
      nested: { aws_session_token: 'IQoJb3JpZ2luX2VjEJr', region: 'us-east-1' },
    });
    expect(value).toEqual({ password: MASK, nested: { aws_session_token: MASK, region: 'us-east-1' } });
    expect(redactor.text('DB_PASSWORD=supersecretvalue other=1')).toBe(`DB_PASSWORD=${MASK} other=1`);
  });

  it('masks an assignment on its own line only, so a .env template keeps its names', () => {
    expect(redactor.text('PAYMENT_API_KEY=\nSESSION_PEPPER=\n')).toBe('PAYMENT_API_KEY=\nSESSION_PEPPER=\n');
    expect(redactor.text('API_KEY=abcdef123\nNEXT=1')).toBe(`API_KEY=${MASK}\nNEXT=1`);
  });

  it('shows a sealed form value as a mask, wherever it sits', () => {
    expect(redactor.value({ environment: { KEY: { $sealed: 'sealed:1234' }, MODE: 'prod' } })).toEqual({
      environment: { KEY: MASK, MODE: 'prod' },
    });
  });

  it('masks values registered as secret, such as .env values', () => {
    const custom = createRedactor(['my-dotenv-value-42']);
    expect(custom.text('connecting with my-dotenv-value-42 now')).toBe(`connecting with ${MASK} now`);
  });

  it('forgets a secret that expires an hour after its expiry, and keeps the others', () => {
    vi.useFakeTimers({ now: new Date('2026-01-01T00:00:00Z') });
    const redactor = createRedactor(['kept-for-good-1234']);
    redactor.addSecrets(['session-secret-5678'], { expiresAt: new Date('2026-01-01T01:00:00Z') });
    // Registered again without an expiry: the longer life wins.
    redactor.addSecrets(['kept-for-good-1234'], { expiresAt: new Date('2026-01-01T00:00:01Z') });
    const line = 'a=session-secret-5678 b=kept-for-good-1234';
    expect(redactor.text(line)).toBe(`a=${MASK} b=${MASK}`);
    vi.setSystemTime(new Date('2026-01-01T01:59:00Z'));
    expect(redactor.text(line)).toBe(`a=${MASK} b=${MASK}`);
    vi.setSystemTime(new Date('2026-01-01T02:00:01Z'));
    expect(redactor.text(line)).toBe(`a=session-secret-5678 b=${MASK}`);
  });

  it('copies a value shared by two fields and cuts only real cycles', () => {
    const shared = { summary: 'create bucket' };
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic.self = cyclic;
    expect(redactor.value({ result: shared, preview: shared })).toEqual({ result: shared, preview: shared });
    expect(redactor.value(cyclic)).toEqual({ name: 'loop', self: '[circular]' });
  });

  it('leaves ordinary identifiers alone', () => {
    const text =
      'i-0123456789abcdef0 ami-12345678 arn:aws:lambda:us-east-1:123456789012:function:shop sha 3f786850e387550fdab836ed7e6dc881de23001b';
    expect(redactor.text(text)).toBe(text);
  });
});
