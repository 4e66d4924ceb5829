import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { codeSha256Hex, lambdaCodeSha256, shortSha } from './lambda-code.js';

describe('lambdaCodeSha256', () => {
  it("is the base64 SHA-256 of the file's bytes, as Lambda's CodeSha256", async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'lambda-code-')), 'app.zip');
    const bytes = Buffer.from('PK\u0003\u0004 not really a zip, but bytes are bytes');
    writeFileSync(path, bytes);
    const expected = createHash('sha256').update(bytes).digest('base64');
    await expect(lambdaCodeSha256(path)).resolves.toBe(expected);
    expect(codeSha256Hex(expected)).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(shortSha(expected)).toBe(codeSha256Hex(expected).slice(0, 10));
  });
});
