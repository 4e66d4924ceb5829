import { describe, expect, it } from 'vitest';
import { contentTypeFor } from './s3-content-types.js';
import { bucketNameProblem, bucketNameSchema } from './s3-names.js';

describe('bucket name rules', () => {
  it('accepts valid names', () => {
    for (const name of ['abc', 'my-app.assets-2024', 'a'.repeat(63), '1bucket9'])
      expect(bucketNameProblem(name)).toBeUndefined();
  });

  it('names the broken rule', () => {
    expect(bucketNameProblem('ab')).toMatch(/2 characters/);
    expect(bucketNameProblem('a'.repeat(64))).toMatch(/64 characters/);
    expect(bucketNameProblem('My-Bucket')).toMatch(/other than a-z/);
    expect(bucketNameProblem('under_score')).toMatch(/other than a-z/);
    expect(bucketNameProblem('-bucket')).toMatch(/start and end/);
    expect(bucketNameProblem('bucket.')).toMatch(/start and end/);
    expect(bucketNameProblem('a..b')).toMatch(/adjacent dots/);
    expect(bucketNameProblem('10.0.0.1')).toMatch(/IP address/);
    expect(bucketNameProblem('xn--bucket')).toMatch(/reserved prefix/);
    expect(bucketNameProblem('bucket-s3alias')).toMatch(/reserved suffix/);
  });

  it('the schema message lists every rule', () => {
    const parsed = bucketNameSchema.safeParse('Bad');
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toMatch(
      /3-63 characters of lowercase letters, digits, dots and hyphens, start and end with a letter or digit.*not an IP address.*'xn--'.*'-s3alias'/,
    );
  });
});

describe('contentTypeFor', () => {
  it('maps the usual web extensions, case-insensitively, and falls back to octet-stream', () => {
    expect(contentTypeFor('dist/index.HTML')).toBe('text/html; charset=utf-8');
    expect(contentTypeFor('a/b/app.mjs')).toBe('text/javascript; charset=utf-8');
    expect(contentTypeFor('app.js.map')).toBe('application/json');
    expect(contentTypeFor('font.woff2')).toBe('font/woff2');
    expect(contentTypeFor('module.wasm')).toBe('application/wasm');
    expect(contentTypeFor('archive.tar.gz')).toBe('application/gzip');
    expect(contentTypeFor('Makefile')).toBe('application/octet-stream');
  });
});
